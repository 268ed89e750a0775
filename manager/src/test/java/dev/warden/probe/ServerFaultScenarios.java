package dev.warden.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.model.ClusterSnapshot;
import dev.warden.model.HeartbeatWrite;
import dev.warden.model.InstanceSnapshot;
import dev.warden.model.Reachability;
import dev.warden.model.ThreadState;
import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxInstance;
import dev.warden.testing.Await;
import dev.warden.testing.Probes;
import dev.warden.topology.ClusterSummary;
import dev.warden.topology.Role;
import dev.warden.topology.Topology;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Servers that die or hang. A fresh sandbox per test (the faults are not undone). */
abstract class ServerFaultScenarios {

    abstract Sandbox sandbox();

    @Test
    void aKilledReplicaIsRefusedAndTheOthersAreUnaffected() {
        Sandbox sb = sandbox();
        SandboxInstance dead = sb.replicas().get(1);
        try (Probes p = new Probes(sb)) {
            p.prober.probe("sandbox", p.cluster.keys(), null, Duration.ofSeconds(5)); // open connections first
            sb.kill(dead);
            // The probe that meets the dead server on a kept connection may see it reset; a connect says refused.
            ClusterSnapshot s = Await.until("the killed replica refused", Duration.ofSeconds(5),
                    () -> p.prober.probe("sandbox", p.cluster.keys(), null),
                    snap -> snap.get(dead.key()).orElseThrow().reachability() == Reachability.REFUSED);
            InstanceSnapshot d = s.get(dead.key()).orElseThrow();
            assertThat(d.error()).contains("Connection refused");
            assertThat(s.get(sb.primary().key()).orElseThrow().reachable()).isTrue();
            assertThat(s.get(sb.replicas().get(0).key()).orElseThrow().reachable()).isTrue();
            assertThat(ClusterSummary.sentence(Topology.of(s, p.cluster.keys(), null)))
                    .contains(dead.key() + " unreachable (refused)");
        }
    }

    @Test
    void aKilledPrimaryIsRefusedAndItsReplicasLoseTheirSource() {
        Sandbox sb = sandbox();
        try (Probes p = new Probes(sb)) {
            p.prober.probe("sandbox", p.cluster.keys(), null, Duration.ofSeconds(5));
            sb.kill(sb.primary());
            ClusterSnapshot s = Await.until("both replicas to see their source gone", Duration.ofSeconds(20),
                    () -> p.prober.probe("sandbox", p.cluster.keys(), null),
                    snap -> sb.replicas().stream().allMatch(r -> snap.get(r.key()).orElseThrow().state().mainChannel()
                            .orElseThrow().ioThread() != ThreadState.RUNNING));
            assertThat(s.get(sb.primary().key()).orElseThrow().reachability()).isEqualTo(Reachability.REFUSED);
            for (SandboxInstance r : sb.replicas()) {
                var ch = s.get(r.key()).orElseThrow().state().mainChannel().orElseThrow();
                assertThat(ch.ioThread()).isEqualTo(ThreadState.CONNECTING);
                assertThat(ch.ioError()).isNotNull();
                assertThat(ch.ioError().errno()).isIn(2003, 2013);
                assertThat(ch.source()).isEqualTo(sb.primary().key());
            }
            Topology t = Topology.of(s, p.cluster.keys(), null);
            assertThat(t.primary().orElseThrow().key()).isEqualTo(sb.primary().key());
            assertThat(t.primary().orElseThrow().role()).isEqualTo(Role.PRIMARY);
            assertThat(t.heartbeatTarget()).isEmpty();
            assertThat(ClusterSummary.sentence(t)).contains("primary " + sb.primary().key() + " unreachable (refused)");
        }
    }

    @Test
    void aFrozenReplicaTimesOutWithoutDelayingTheOthers() {
        Sandbox sb = sandbox();
        SandboxInstance frozen = sb.replicas().get(0);
        try (Probes p = new Probes(sb)) {
            p.prober.probe("sandbox", p.cluster.keys(), null, Duration.ofSeconds(5));
            Duration timeout = p.config.probe().readTimeout();
            sb.freeze(frozen);
            try {
                for (int cycle = 0; cycle < 3; cycle++) {
                    long t0 = System.nanoTime();
                    ClusterSnapshot s = p.prober.probe("sandbox", p.cluster.keys(), null);
                    Duration took = Duration.ofNanos(System.nanoTime() - t0);
                    InstanceSnapshot f = s.get(frozen.key()).orElseThrow();
                    assertThat(f.reachability()).as("cycle %d: %s", cycle, f.error()).isEqualTo(Reachability.TIMEOUT);
                    for (SandboxInstance other : java.util.List.of(sb.primary(), sb.replicas().get(1))) {
                        InstanceSnapshot o = s.get(other.key()).orElseThrow();
                        assertThat(o.reachable()).as("cycle %d: %s", cycle, o.error()).isTrue();
                        assertThat(o.latency()).as("%s answered within its own deadline", other.key())
                                .isLessThan(timeout);
                    }
                    // The cycle is bounded by the read timeout, not by the hung server's socket.
                    assertThat(took).isLessThan(timeout.plus(Duration.ofSeconds(1)));
                }
            } finally {
                sb.thaw(frozen);
            }
            Await.until("the thawed replica to answer again", Duration.ofSeconds(20),
                    () -> p.prober.probe("sandbox", p.cluster.keys(), null),
                    s -> s.get(frozen.key()).orElseThrow().reachable());
        }
    }

    @Test
    void aFrozenPrimaryFailsTheWriteProbeAndTimesOut() {
        Sandbox sb = sandbox();
        try (Probes p = new Probes(sb)) {
            ClusterSnapshot first = p.prober.probe("sandbox", p.cluster.keys(), null, Duration.ofSeconds(5));
            long id = first.get(sb.primary().key()).orElseThrow().state().serverId();
            ClusterProber.HeartbeatTarget target = new ClusterProber.HeartbeatTarget(sb.primary().key(), id);
            assertThat(p.prober.probe("sandbox", p.cluster.keys(), target).get(sb.primary().key()).orElseThrow()
                    .heartbeatWrite().written()).isTrue();
            sb.freeze(sb.primary());
            try {
                ClusterSnapshot s = p.prober.probe("sandbox", p.cluster.keys(), target);
                InstanceSnapshot primary = s.get(sb.primary().key()).orElseThrow();
                assertThat(primary.reachability()).isEqualTo(Reachability.TIMEOUT);
                for (SandboxInstance r : sb.replicas()) {
                    assertThat(s.get(r.key()).orElseThrow().reachable()).isTrue();
                }
                // The write probe ran and timed out; it is reported with the primary once its thread returns.
                ClusterSnapshot next = Await.until("the timed-out write to be reported", Duration.ofSeconds(10),
                        () -> p.prober.probe("sandbox", p.cluster.keys(), target),
                        snap -> snap.get(sb.primary().key()).orElseThrow().heartbeatWrite() != null);
                HeartbeatWrite w = next.get(sb.primary().key()).orElseThrow().heartbeatWrite();
                assertThat(w.outcome()).isEqualTo(HeartbeatWrite.Outcome.TIMED_OUT);
            } finally {
                sb.thaw(sb.primary());
            }
        }
    }
}
