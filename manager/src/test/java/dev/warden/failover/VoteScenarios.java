package dev.warden.failover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.actions.Operation;
import dev.warden.decision.FindingCode;
import dev.warden.dialect.Dialect;
import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxInstance;
import dev.warden.testing.Await;
import dev.warden.testing.Cli;
import dev.warden.testing.ReplicaSql;
import dev.warden.testing.RootSql;
import dev.warden.testing.Routes;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Safety: a vote means what it says, and a dead primary can be replaced whenever an operator asks. Each test is a
 * fault that made Warden fail over a healthy primary, or refuse to replace a dead one, before the rule was kept.
 */
abstract class VoteScenarios {

    abstract Sandbox sandbox();

    static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(30);

    /** Long enough for a failover to have started if Warden were going to start one, with a margin. */
    static Duration noFailoverWithin(FailoverHarness h) {
        return FailoverScenarios.decisionTime(h).plusSeconds(2);
    }

    static void assertNoFailoverAndPrimaryWritable(FailoverHarness h, Sandbox sb) {
        assertThat(h.failovers()).as("no failover of a primary that is alive").isEmpty();
        assertThat(RootSql.value(sb, sb.primary(), "SELECT @@read_only")).as("the primary still takes writes")
                .isEqualTo("0");
        for (SandboxInstance r : sb.replicas()) {
            assertThat(RootSql.value(sb, r, "SELECT @@read_only")).as(r.name() + " still read-only").isEqualTo("1");
        }
    }

    /**
     * Replicas with the servers' default heartbeat period (30 s), a quiet primary, and only the manager cut off:
     * the replicas' silence says nothing, so it must not count as "dead". Warden also sets the period it needs.
     */
    @Test
    void aQuietPrimaryIsNotFailedOverWhenOnlyTheManagerIsCutOffFromIt() throws Exception {
        Sandbox sb = sandbox();
        for (SandboxInstance r : sb.replicas()) {
            ReplicaSql.heartbeatPeriod(sb, r, Duration.ofSeconds(30));
        }
        try (Routes manager = Routes.forManager(sb); FailoverHarness h = new FailoverHarness(sb, null, manager.yaml())) {
            Instant cut = Instant.now();
            manager.of(sb.primary()).blackhole();
            var c = FailoverScenarios.cyclesFor(h, cut, noFailoverWithin(h));
            assertNoFailoverAndPrimaryWritable(h, sb);
            assertThat(c.findings()).extracting(f -> f.code()).doesNotContain(FindingCode.DeadPrimary,
                    FindingCode.DeadPrimaryAndSomeReplicas, FindingCode.PrimaryNotWriting);
            manager.healAll();
            for (SandboxInstance r : sb.replicas()) {
                Await.until("Warden to set " + r.name() + "'s heartbeat period to the configured 500 ms",
                        Duration.ofSeconds(20), () -> ReplicaSql.heartbeatPeriodOf(sb, r),
                        Duration.ofMillis(500)::equals);
            }
        }
    }

    /** With the periods left alone by configuration, a killed primary is still replaced (IO threads disconnect). */
    @Test
    void withHeartbeatPeriodsLeftAloneOnlyADisconnectedReplicaConfirms() throws Exception {
        Sandbox sb = sandbox();
        for (SandboxInstance r : sb.replicas()) {
            ReplicaSql.heartbeatPeriod(sb, r, Duration.ofSeconds(30));
        }
        try (Routes manager = Routes.forManager(sb);
             FailoverHarness h = new FailoverHarness(sb, null, manager.yaml().replace("replication:\n",
                     "replication:\n  enforce_heartbeat_period: false\n"))) {
            Instant cut = Instant.now();
            manager.of(sb.primary()).blackhole();
            var c = FailoverScenarios.cyclesFor(h, cut, noFailoverWithin(h));
            assertNoFailoverAndPrimaryWritable(h, sb);
            var unreachable = c.findings().stream().filter(f -> f.code() == FindingCode.UnreachablePrimary)
                    .findFirst().orElseThrow(() -> new AssertionError(c.sentence()));
            assertThat(unreachable.votes()).as(unreachable.votes().toString()).extracting(v -> v.verdict().name())
                    .containsExactly("CONFIRMS_DEAD", "ABSTAINS", "ABSTAINS");
            assertThat(unreachable.votes().get(1).saw()).contains("heartbeat period 30");
            manager.healAll();
            for (SandboxInstance r : sb.replicas()) {
                assertThat(ReplicaSql.heartbeatPeriodOf(sb, r)).isEqualTo(Duration.ofSeconds(30));
            }
            sb.kill(sb.primary());
            Operation op = h.awaitFailover(1, FAILOVER_TIMEOUT);
            assertThat(op.outcome()).as(op.summary()).isEqualTo(Operation.Outcome.SUCCEEDED);
        }
    }

    /** An IO thread refused by its source (wrong password) proves the source answers: not a dead vote. */
    @Test
    void replicasWhoseSourceRefusesTheirLoginDoNotVoteDead() throws Exception {
        Sandbox sb = sandbox();
        try (Routes manager = Routes.forManager(sb); FailoverHarness h = new FailoverHarness(sb, null, manager.yaml())) {
            RootSql.exec(sb, sb.primary(), "ALTER USER 'repl'@'%' IDENTIFIED BY 'changed-by-a-dba'");
            for (SandboxInstance r : sb.replicas()) {
                RootSql.replicaCommand(sb, r, Dialect::stopReplicaIoThread);
                RootSql.replicaCommand(sb, r, Dialect::startReplicaIoThread);
                Await.until(r.name() + "'s IO thread refused by its source (1045)", Duration.ofSeconds(20),
                        () -> RootSql.ioErrno(sb, r), e -> e == 1045);
            }
            Instant cut = Instant.now();
            manager.of(sb.primary()).blackhole();
            FailoverScenarios.cyclesFor(h, cut, noFailoverWithin(h));
            assertNoFailoverAndPrimaryWritable(h, sb);
        }
    }

    /** The manager's own login refused by the primary proves the primary answers, whatever the replicas say. */
    @Test
    void theManagersOwnRefusedLoginIsNotADeadVote() throws Exception {
        Sandbox sb = sandbox();
        try (Routes replication = Routes.forReplication(sb, sb.primary(), sb.replicas());
             FailoverHarness h = new FailoverHarness(sb, null)) {
            replication.refuseAll();
            for (SandboxInstance r : sb.replicas()) {
                Await.until(r.name() + " cut off from the primary", Duration.ofSeconds(20),
                        () -> RootSql.replication(sb, r), s -> s != null && s.contains("Connecting"));
            }
            RootSql.exec(sb, sb.primary(), "SET SESSION sql_log_bin = 0",
                    "ALTER USER 'warden'@'%' IDENTIFIED BY 'changed-on-the-primary-only'");
            for (String id : RootSql.values(sb, sb.primary(),
                    "SELECT ID FROM information_schema.PROCESSLIST WHERE USER = 'warden'")) {
                RootSql.exec(sb, sb.primary(), "KILL " + id);
            }
            Instant changed = Instant.now();
            Await.until("the manager's login refused", Duration.ofSeconds(20), () -> h.cluster.latest().orElseThrow(),
                    c -> c.snapshot().get(sb.primary().key()).map(s -> s.reachability().name()).orElse("")
                            .equals("AUTH_FAILED"));
            FailoverScenarios.cyclesFor(h, changed, noFailoverWithin(h));
            assertNoFailoverAndPrimaryWritable(h, sb);
        }
    }

    /**
     * One timed-out probe is not evidence: the manager's route to a healthy primary stalls for two connections while
     * every replica is cut off from it. Only a second timed-out probe starts the confirmation window, and the
     * re-check under the cluster lock then reaches the primary.
     */
    @Test
    void aSingleTimedOutProbeDoesNotStartTheConfirmationWindow() throws Exception {
        Sandbox sb = sandbox();
        try (Routes replication = Routes.forReplication(sb, sb.primary(), sb.replicas());
             Routes manager = Routes.forManager(sb); FailoverHarness h = new FailoverHarness(sb, null, manager.yaml())) {
            replication.refuseAll();
            for (SandboxInstance r : sb.replicas()) {
                Await.until(r.name() + " cut off from the primary", Duration.ofSeconds(20),
                        () -> RootSql.replication(sb, r), s -> s != null && s.contains("Connecting"));
            }
            dev.warden.model.InstanceKey managerSeesPrimary = new dev.warden.model.InstanceKey("127.0.0.1",
                    manager.port(sb.primary()));
            Instant stalled = Instant.now();
            manager.of(sb.primary()).hangNext(2);
            Await.until("the manager to lose the primary for a moment", Duration.ofSeconds(20),
                    () -> h.cluster.latest().orElseThrow(), c -> c.snapshot().takenAt().isAfter(stalled)
                            && !c.snapshot().get(managerSeesPrimary).map(s -> s.reachable()).orElse(true));
            Await.until("the primary answering the manager again after the stall", Duration.ofSeconds(20),
                    () -> h.cluster.latest().orElseThrow(), c -> c.snapshot().takenAt().isAfter(stalled)
                            && c.snapshot().get(managerSeesPrimary).map(s -> s.reachable()).orElse(false));
            FailoverScenarios.cyclesFor(h, stalled, noFailoverWithin(h));
            assertNoFailoverAndPrimaryWritable(h, sb);
        }
    }

    /** With automatic failover off, an operator replaces a primary that died long ago (lag is relative then). */
    @Test
    void anOperatorCanReplaceAPrimaryThatDiedLongAgo() throws Exception {
        Sandbox sb = sandbox();
        try (FailoverHarness h = new FailoverHarness(sb, "failover:\n  automatic: false\n  max_candidate_lag: 3s\n")) {
            h.startWriter(sb.primary());
            Instant killed = Instant.now();
            sb.kill(sb.primary());
            Await.until("DeadPrimary reported 5 s after the death", Duration.ofSeconds(40),
                    () -> h.cluster.latest().orElseThrow(), c -> c.snapshot().takenAt().isAfter(killed.plusSeconds(5))
                            && !c.findings().isEmpty() && c.findings().get(0).code() == FindingCode.DeadPrimary);
            var run = Cli.run("failover", "-c", h.configFile.toString(), "--cluster", "sandbox");
            assertThat(run.exitCode()).as(run.toString()).isZero();
            Operation op = h.awaitFailover(1, FAILOVER_TIMEOUT);
            assertThat(op.outcome()).as(op.summary()).isEqualTo(Operation.Outcome.SUCCEEDED);
            SandboxInstance newPrimary = FailoverScenarios.instanceAt(sb, op.plan().candidate());
            h.assertOnePrimary(newPrimary, sb.replicas().stream().filter(r -> !r.equals(newPrimary)).toList());
            assertThat(h.lostAckedRows(newPrimary)).isZero();
        }
    }

    /**
     * A primary that answers but cannot commit (a global read lock held) while its replicas hear nothing from it
     * is hung: it is fenced (the lock holder's session killed) and replaced.
     */
    @Test
    void aPrimaryThatCannotCommitIsReplacedWhenItsReplicasHearNothing() throws Exception {
        Sandbox sb = sandbox();
        try (Routes replication = Routes.forReplication(sb, sb.primary(), sb.replicas());
             FailoverHarness h = new FailoverHarness(sb, null);
             Connection lock = RootSql.session(sb, sb.primary(), "FLUSH TABLES WITH READ LOCK")) {
            replication.refuseAll();
            Operation op = h.awaitFailover(1, FAILOVER_TIMEOUT);
            assertThat(op.outcome()).as(op.summary()).isEqualTo(Operation.Outcome.SUCCEEDED);
            assertThat(op.plan().trigger()).contains("PrimaryNotWriting");
            assertThat(RootSql.value(sb, sb.primary(), "SELECT @@read_only")).as("the old primary is fenced")
                    .isEqualTo("1");
            SandboxInstance newPrimary = FailoverScenarios.instanceAt(sb, op.plan().candidate());
            List<SandboxInstance> survivors = sb.replicas().stream().filter(r -> !r.equals(newPrimary)).toList();
            h.assertOnePrimary(newPrimary, survivors);
        }
    }
}
