package dev.warden.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.model.ClusterSnapshot;
import dev.warden.model.Flavor;
import dev.warden.model.InstanceSnapshot;
import dev.warden.model.ReadOnlyState;
import dev.warden.model.ReplicaStatus;
import dev.warden.model.ServerState;
import dev.warden.model.ThreadState;
import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxInstance;
import dev.warden.testing.Await;
import dev.warden.testing.Probes;
import dev.warden.topology.HeartbeatLog;
import dev.warden.topology.ReplicationLag;
import dev.warden.topology.Topology;
import dev.warden.topology.TopologyNode;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Probing a healthy sandbox: read-only scenarios, one sandbox per flavor and class. */
abstract class ProbeScenarios {

    abstract Sandbox sandbox();

    @Test
    void readsPrimaryAndReplicasState() throws Exception {
        Sandbox sb = sandbox();
        try (Connection c = sb.root(sb.primary()); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE IF NOT EXISTS probe_test");
            st.execute("CREATE TABLE IF NOT EXISTS probe_test.t (id INT PRIMARY KEY)");
            st.execute("REPLACE INTO probe_test.t VALUES (1)");
        }
        try (Probes p = new Probes(sb)) {
            ClusterSnapshot snap = p.prober.probe("sandbox", p.cluster.keys(), null);
            InstanceSnapshot primary = snap.get(sb.primary().key()).orElseThrow();
            assertThat(primary.reachable()).as(primary.error()).isTrue();
            ServerState ps = primary.state();
            assertThat(ps.version().flavor()).isEqualTo(sb.flavor().flavor());
            assertThat(ps.version().toString()).contains(sb.version());
            assertThat(ps.readOnly()).isEqualTo(ReadOnlyState.WRITABLE);
            assertThat(ps.isReplica()).isFalse();
            assertThat(ps.serverId()).isEqualTo(sb.primary().serverId());
            assertThat(ps.gtidExecuted().isEmpty()).isFalse();
            assertThat(ps.settings().binlogEnabled()).isTrue();
            assertThat(ps.settings().logReplicaUpdates()).isTrue();
            assertThat(ps.settings().gtidUsable(ps.flavor())).isTrue();
            assertThat(ps.connectedReplicas()).extracting(r -> r.keyOrNull())
                    .containsExactlyInAnyOrderElementsOf(sb.replicas().stream().map(SandboxInstance::key).toList());
            assertThat(ps.problems()).isEmpty();
            if (ps.flavor() == Flavor.MYSQL) {
                assertThat(ps.serverUuid()).matches("[0-9a-f-]{36}");
            }

            for (SandboxInstance r : sb.replicas()) {
                InstanceSnapshot rs = snap.get(r.key()).orElseThrow();
                assertThat(rs.reachable()).as(rs.error()).isTrue();
                ServerState s = rs.state();
                assertThat(s.problems()).isEmpty();
                assertThat(s.readOnly()).isEqualTo(ps.flavor() == Flavor.MYSQL
                        ? ReadOnlyState.SUPER_READ_ONLY : ReadOnlyState.READ_ONLY);
                ReplicaStatus ch = s.mainChannel().orElseThrow();
                assertThat(ch.source()).isEqualTo(sb.primary().key());
                assertThat(ch.ioThread()).isEqualTo(ThreadState.RUNNING);
                assertThat(ch.sqlThread()).isEqualTo(ThreadState.RUNNING);
                assertThat(ch.autoPosition()).isTrue();
                assertThat(ch.sourceServerId()).isEqualTo(sb.primary().serverId());
                assertThat(ch.receiver().heartbeatPeriod()).isEqualTo(Duration.ofMillis(500));
            }
            // the replicas catch up with the primary's write
            Await.until("replicas to execute the primary's transactions", Duration.ofSeconds(20),
                    () -> p.prober.probe("sandbox", p.cluster.keys(), null),
                    s -> sb.replicas().stream().allMatch(r -> s.get(r.key()).orElseThrow().state().gtidExecuted()
                            .contains(s.get(sb.primary().key()).orElseThrow().state().gtidExecuted())));
        }
    }

    @Test
    void measuresSubSecondLagFromTheHeartbeat() {
        Sandbox sb = sandbox();
        try (Probes p = new Probes(sb)) {
            ClusterSnapshot first = p.prober.probe("sandbox", p.cluster.keys(), null);
            long primaryId = first.get(sb.primary().key()).orElseThrow().state().serverId();
            HeartbeatLog log = HeartbeatLog.empty(primaryId);
            ClusterProber.HeartbeatTarget target = new ClusterProber.HeartbeatTarget(sb.primary().key(), primaryId);
            long previousSeq = 0;
            Topology t = null;
            for (int cycle = 0; cycle < 5; cycle++) {
                ClusterSnapshot snap = p.prober.probe("sandbox", p.cluster.keys(), target);
                InstanceSnapshot ps = snap.get(sb.primary().key()).orElseThrow();
                assertThat(ps.heartbeatWrite()).isNotNull();
                assertThat(ps.heartbeatWrite().written()).as(ps.heartbeatWrite().detail()).isTrue();
                assertThat(ps.heartbeatWrite().sequence()).isGreaterThan(previousSeq);
                previousSeq = ps.heartbeatWrite().sequence();
                log = log.with(ps.heartbeatWrite());
                t = Topology.of(snap, p.cluster.keys(), log);
            }
            List<TopologyNode> replicas = t.replicas();
            assertThat(replicas).hasSize(sb.replicas().size());
            for (TopologyNode n : replicas) {
                ReplicationLag lag = n.lag();
                assertThat(lag.basis()).isEqualTo(ReplicationLag.Basis.HEARTBEAT);
                assertThat(lag.estimate()).as(n.key() + " lag " + lag.display()).isLessThan(Duration.ofSeconds(1));
            }
        }
    }
}
