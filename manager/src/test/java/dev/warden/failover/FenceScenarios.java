package dev.warden.failover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.actions.Operation;
import dev.warden.actions.StepRecord;
import dev.warden.actions.StepStatus;
import dev.warden.engine.Actor;
import dev.warden.engine.RequestResult;
import dev.warden.plan.FenceOldPrimary;
import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxInstance;
import dev.warden.testing.Await;
import dev.warden.testing.Convergence;
import dev.warden.testing.ReplicaSql;
import dev.warden.testing.RootSql;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A fence is "pending" only while nothing answers on the old primary; a pending fence is tried again before the
 * promotion; a change of read_only still waiting for its lock is not a fence; Warden's own maintenance of replicas
 * never throws away what they received. A fresh sandbox per test.
 */
abstract class FenceScenarios {

    abstract Sandbox sandbox();

    static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(40);
    static final Actor TEST = new Actor("test", "127.0.0.1");

    boolean mysql() {
        return sandbox().flavor().flavor() == dev.warden.model.Flavor.MYSQL;
    }

    static StepRecord fence(Operation op) {
        return op.steps().stream().filter(s -> s.step() instanceof FenceOldPrimary && !s.undo()).findFirst()
                .orElseThrow();
    }

    /**
     * The old primary refuses Warden's login (its password changed there only): it answers, so it may be taking
     * writes. Even a forced failover does not take that for an unreachable server whose fence can wait.
     */
    @Test
    void aPrimaryThatRefusesWardensLoginIsNeverTakenForUnreachable() throws Exception {
        Sandbox sb = sandbox();
        try (FailoverHarness h = new FailoverHarness(sb, null)) {
            RootSql.exec(sb, sb.primary(), "SET SESSION sql_log_bin = 0",
                    "ALTER USER 'warden'@'%' IDENTIFIED BY 'changed-on-the-primary-only'");
            for (String id : RootSql.values(sb, sb.primary(),
                    "SELECT ID FROM information_schema.PROCESSLIST WHERE USER = 'warden'")) {
                RootSql.exec(sb, sb.primary(), "KILL " + id);
            }
            RequestResult r = h.cluster.failover(TEST, true, "test: the primary refuses Warden", false);
            assertThat(r).isInstanceOf(RequestResult.Ran.class);
            Operation op = ((RequestResult.Ran) r).operation();
            assertThat(op.outcome()).as(op.summary()).isEqualTo(Operation.Outcome.FAILED);
            assertThat(fence(op).status()).as(fence(op).detail()).isEqualTo(StepStatus.FAILED);
            assertThat(fence(op).detail()).contains("answers but refuses Warden");
            assertThat(Convergence.writable(sb)).extracting(SandboxInstance::name)
                    .containsExactly(sb.primary().name());
            for (SandboxInstance rep : sb.replicas()) {
                assertThat(RootSql.replication(sb, rep)).isEqualTo("127.0.0.1:" + sb.primary().port() + " Yes Yes");
            }
        }
    }

    /** A session of an ordinary administrator account (no SYSTEM_USER), as a DBA's tool would open it. */
    static Connection dbaSession(SandboxInstance i, String... statements) throws java.sql.SQLException {
        Connection c = java.sql.DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + i.port()
                + "/?user=dba&password=dba-pw&allowPublicKeyRetrieval=true&useSSL=false");
        try (var st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        } catch (java.sql.SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /**
     * MySQL: a DBA's {@code SET GLOBAL super_read_only = ON} waits behind a client's table lock, so the primary reads
     * super_read_only=1 while it still takes writes. A forced failover's fence must make it read-only for real (it
     * kills the lock holder and the waiting change, then sets it itself and reads it back).
     */
    @Test
    void aSuperReadOnlyStillWaitingForItsLockIsNotAFence() throws Exception {
        Assumptions.assumeTrue(mysql(), "MySQL only: MariaDB has no super_read_only");
        Sandbox sb = sandbox();
        try (FailoverHarness h = new FailoverHarness(sb, null)) {
            RootSql.exec(sb, sb.primary(), "CREATE USER 'dba'@'%' IDENTIFIED BY 'dba-pw'",
                    "GRANT SYSTEM_VARIABLES_ADMIN ON *.* TO 'dba'@'%'", "GRANT SELECT, LOCK TABLES ON app.* TO 'dba'@'%'");
            Connection lock = dbaSession(sb.primary(), "LOCK TABLES app.rows WRITE");
            CompletableFuture<Void> dba = CompletableFuture.runAsync(() -> {
                try (Connection c = dbaSession(sb.primary(), "SET GLOBAL super_read_only = ON")) {
                    // took effect (after the fence): fine too
                } catch (java.sql.SQLException e) {
                    // killed by the fence: expected
                }
            });
            Await.until("the DBA's change to wait for its lock", Duration.ofSeconds(10),
                    () -> RootSql.value(sb, sb.primary(), "SELECT CONCAT(@@read_only, @@super_read_only)"),
                    "01"::equals);
            RequestResult r = h.cluster.failover(TEST, true, "test: a pending super_read_only", false);
            assertThat(r).isInstanceOf(RequestResult.Ran.class);
            Operation op = ((RequestResult.Ran) r).operation();
            assertThat(fence(op).detail()).as(fence(op).detail()).doesNotContain("already");
            assertThat(op.outcome()).as(op.summary()).isEqualTo(Operation.Outcome.SUCCEEDED);
            dba.get(20, java.util.concurrent.TimeUnit.SECONDS);
            lock.close();
            assertThat(RootSql.value(sb, sb.primary(), "SELECT CONCAT(@@read_only, @@super_read_only)"))
                    .as("the old primary is read-only for real").isEqualTo("11");
            SandboxInstance now = FailoverScenarios.instanceAt(sb, op.plan().candidate());
            assertThat(Convergence.writable(sb)).extracting(SandboxInstance::name).containsExactly(now.name());
        }
    }

    /**
     * MySQL 8.0.16+: a lock held by an account with SYSTEM_USER (root) cannot be ended by Warden's account: the fence
     * fails, says why, and nothing is promoted.
     */
    @Test
    void aLockHeldByASystemUserFailsTheFenceAndSaysWhy() throws Exception {
        Assumptions.assumeTrue(mysql() && !sb().flavor().name().equals("MYSQL8"),
                "SYSTEM_USER exists from MySQL 8.0.16 (the sandbox's 8.0 is 8.0.15)");
        Sandbox sb = sandbox();
        try (FailoverHarness h = new FailoverHarness(sb, null)) {
            Connection lock = RootSql.session(sb, sb.primary(), "LOCK TABLES app.rows WRITE");
            RequestResult r = h.cluster.failover(TEST, true, "test: root holds a table lock", false);
            Operation op = ((RequestResult.Ran) r).operation();
            assertThat(op.outcome()).as(op.summary()).isEqualTo(Operation.Outcome.FAILED);
            assertThat(fence(op).detail()).contains("could not end").contains("SYSTEM_USER");
            lock.close();
            assertThat(Convergence.writable(sb)).extracting(SandboxInstance::name)
                    .containsExactly(sb.primary().name());
        }
    }

    private Sandbox sb() {
        return sandbox();
    }

    /**
     * The old primary hangs (SIGSTOP): its fence is pending (nothing answers). While the candidate still applies a
     * transaction held back by a lock, the old primary resumes, writable. The fence is tried again before the
     * promotion and holds: at no point after the promotion are two servers writable.
     */
    @Test
    void aPendingFenceIsTriedAgainWhenTheOldPrimaryComesBackBeforeThePromotion() throws Exception {
        Sandbox sb = sandbox();
        try (FailoverHarness h = new FailoverHarness(sb, "probe:\n  write_heartbeat: false\n")) {
            List<Connection> locks = new java.util.ArrayList<>();
            for (SandboxInstance rep : sb.replicas()) {
                locks.add(RootSql.session(sb, rep, "LOCK TABLES app.rows READ"));
            }
            RootSql.exec(sb, sb.primary(), "INSERT INTO app.rows (id, at) VALUES (424242, NOW(6))");
            SandboxInstance old = sb.primary();
            sb.freeze(old);
            Operation running;
            try {
                running = Await.until("the failover to accept a pending fence and wait in its catch-up",
                        FAILOVER_TIMEOUT, () -> h.cluster.running().orElse(null),
                        op -> op != null && fence(op).status() == StepStatus.PENDING);
            } finally {
                sb.thaw(old);
            }
            Await.until("the old primary to answer again", Duration.ofSeconds(10),
                    () -> RootSql.value(sb, old, "SELECT @@read_only"), "0"::equals);
            Thread.sleep(300); // the pending fence is now older than the re-try threshold
            for (Connection c : locks) {
                c.close();
            }
            Operation op = h.awaitFailover(1, FAILOVER_TIMEOUT);
            assertThat(op.id()).isEqualTo(running.id());
            assertThat(op.outcome()).as(op.summary()).isEqualTo(Operation.Outcome.SUCCEEDED);
            assertThat(fence(op).status()).as(fence(op).detail()).isEqualTo(StepStatus.DONE);
            assertThat(RootSql.value(sb, old, "SELECT @@read_only")).isEqualTo("1");
            SandboxInstance now = FailoverScenarios.instanceAt(sb, op.plan().candidate());
            Instant promotedAt = op.steps().stream().filter(s -> s.step() instanceof dev.warden.plan.Promote)
                    .findFirst().orElseThrow().effectiveAt();
            assertThat(h.observer.writableSince(old, promotedAt)).as("the old primary writable after the promotion")
                    .isNull();
            assertThat(Convergence.writable(sb)).extracting(SandboxInstance::name).containsExactly(now.name());
            assertThat(RootSql.value(sb, now, "SELECT COUNT(*) FROM app.rows WHERE id = 424242")).isEqualTo("1");
        }
    }

    /**
     * A replica with the servers' default heartbeat period (30 s) whose SQL thread waits on a lock with a received
     * transaction: Warden sets its period only without discarding what it received (MariaDB discards the relay log
     * when both threads start again), and without its session piling up behind the applier.
     */
    @Test
    void tuningTheHeartbeatPeriodNeverThrowsAwayAReceivedTransaction() throws Exception {
        Sandbox sb = sandbox();
        SandboxInstance r = sb.replicas().get(0);
        ReplicaSql.heartbeatPeriod(sb, r, Duration.ofSeconds(30));
        dev.warden.bench.RowWriter.prepare(statements -> RootSql.exec(sb, sb.primary(), statements));
        Await.until("the application's table on " + r.name(), Duration.ofSeconds(20),
                () -> RootSql.value(sb, r, "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'app' "
                        + "AND TABLE_NAME = 'rows'"), "1"::equals);
        Connection lock = RootSql.session(sb, r, "LOCK TABLES app.rows READ");
        RootSql.exec(sb, sb.primary(), "INSERT INTO app.rows (id, at) VALUES (434343, NOW(6))");
        try (FailoverHarness h = new FailoverHarness(sb, "probe:\n  write_heartbeat: false\n", null,
                "replicas replicating")) {
            // MariaDB: stopping both threads now would discard the received transaction at the next start, and
            // STOP would wait behind the applier. MySQL stops only its IO thread for the change and keeps its relay
            // log.
            if (!mysql()) {
                FailoverScenarios.cyclesFor(h, java.time.Instant.now(), Duration.ofSeconds(6));
                assertThat(h.cluster.operations()).as("no change of the replica's threads while it has a received "
                        + "transaction to apply").noneMatch(o -> o.plan().kind() == dev.warden.plan.PlanKind.CONFIGURE);
            }
            lock.close();
            Await.until("the period set once everything received is applied", Duration.ofSeconds(30),
                    () -> ReplicaSql.heartbeatPeriodOf(sb, r), Duration.ofMillis(500)::equals);
            // (the applier goes on once the lock is gone: the received row is applied, not thrown away)
            Await.until("the received row applied on " + r.name(), Duration.ofSeconds(20),
                    () -> RootSql.value(sb, r, "SELECT COUNT(*) FROM app.rows WHERE id = 434343"), "1"::equals);
            Await.until(r.name() + " replicating again", Duration.ofSeconds(20), () -> RootSql.replication(sb, r),
                    ("127.0.0.1:" + sb.primary().port() + " Yes Yes")::equals);
        }
    }

    /**
     * The primary is killed and started again while no manager runs: it comes back read-only (its my.cnf) with its
     * replicas attached. Nothing was promoted in its place, so when Warden starts it gives it its writes back;
     * a primary a DBA made read-only at run time is left alone.
     */
    @Test
    void aPrimaryStartedAgainReadOnlyWhileNoManagerRanGetsItsWritesBack() throws Exception {
        Sandbox sb = sandbox();
        SandboxInstance p = sb.primary();
        // Warden's heartbeat row from the primary's own server_id: it was the primary under Warden before.
        try (FailoverHarness first = new FailoverHarness(sb, null)) {
            Await.until("a heartbeat row written on the primary", Duration.ofSeconds(10),
                    () -> RootSql.value(sb, p, "SELECT COUNT(*) FROM warden.heartbeat"), n -> !"0".equals(n));
        }
        sb.kill(p);
        SandboxInstance back = sb.restart(p);
        assertThat(RootSql.value(sb, back, "SELECT @@read_only")).isEqualTo("1");
        try (FailoverHarness h = new FailoverHarness(sb, null, null, "replicas replicating")) {
            Await.until("the restarted primary writable again", Duration.ofSeconds(30),
                    () -> RootSql.value(sb, back, "SELECT @@read_only"), "0"::equals);
            assertThat(h.cluster.operations()).extracting(o -> o.plan().kind())
                    .contains(dev.warden.plan.PlanKind.RESTORE).doesNotContain(dev.warden.plan.PlanKind.FAILOVER);
            assertThat(Convergence.writable(sb)).extracting(SandboxInstance::name).containsExactly(back.name());
            // A DBA's read_only at run time is theirs.
            RootSql.exec(sb, back, mysql() ? "SET GLOBAL super_read_only = ON" : "SET GLOBAL read_only = ON");
            java.time.Instant set = java.time.Instant.now();
            FailoverScenarios.cyclesFor(h, set, Duration.ofSeconds(3));
            assertThat(RootSql.value(sb, back, "SELECT @@read_only")).isEqualTo("1");
        }
    }
}
