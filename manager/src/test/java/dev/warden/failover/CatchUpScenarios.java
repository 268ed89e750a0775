package dev.warden.failover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.actions.Operation;
import dev.warden.actions.StepRecord;
import dev.warden.actions.StepStatus;
import dev.warden.dialect.Dialect;
import dev.warden.plan.CatchUp;
import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxInstance;
import dev.warden.testing.Await;
import dev.warden.testing.Cli;
import dev.warden.testing.Convergence;
import dev.warden.testing.RootSql;
import dev.warden.testing.Routes;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Safety: no transaction a survivor received is thrown away, and re-pointed replicas are given an address they can
 * reach. A fresh sandbox per test.
 */
abstract class CatchUpScenarios {

    abstract Sandbox sandbox();

    static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(40);
    static final long ACKED_ROW = 424242;

    boolean mysql() {
        return sandbox().flavor().flavor() == dev.warden.model.Flavor.MYSQL;
    }

    /**
     * The only replica that has the primary's last (acknowledged) transaction cannot apply it yet: a session on the
     * replica holds a read lock on the table. The other replica's IO thread is stopped, so it lacks the row.
     * Returns the lock's session; the row is committed on the primary and received (not applied) by {@code blocked}.
     */
    Connection lastTransactionReceivedButBlocked(SandboxInstance blocked, SandboxInstance behind) {
        Sandbox sb = sandbox();
        // An application's session holds the lock (root's, with SYSTEM_USER on MySQL 8.0.16+, cannot be ended by
        // Warden's account, which a forced catch-up needs).
        RootSql.createClientAccount(sb);
        RootSql.replicaCommand(sb, behind, Dialect::stopReplicaIoThread);
        Connection lock = RootSql.clientSession(blocked, "LOCK TABLES app.rows READ");
        RootSql.exec(sb, sb.primary(), "INSERT INTO app.rows (id, at) VALUES (" + ACKED_ROW + ", NOW(6))");
        Await.until(blocked.name() + " to have received the row without applying it", Duration.ofSeconds(20),
                () -> receivedNotApplied(blocked), n -> n == 1);
        return lock;
    }

    /** Transactions the replica received and has not applied (exactly, from the server). */
    long receivedNotApplied(SandboxInstance r) {
        Sandbox sb = sandbox();
        if (mysql()) {
            String gap = RootSql.value(sb, r, "SELECT GTID_SUBTRACT(RECEIVED_TRANSACTION_SET, @@gtid_executed) FROM "
                    + "performance_schema.replication_connection_status WHERE CHANNEL_NAME = ''");
            return gap == null || gap.isBlank() ? 0 : dev.warden.model.GtidSet.parse(gap).count();
        }
        var received = dev.warden.model.MariaDbGtidPosition.parse(ioPos(r));
        var applied = dev.warden.model.MariaDbGtidPosition.parse(RootSql.value(sb, r, "SELECT @@gtid_slave_pos"));
        return applied.missingFrom(received);
    }

    String ioPos(SandboxInstance r) {
        try (Connection c = sandbox().root(r); var st = c.createStatement(); var rs = st.executeQuery(
                "SHOW ALL SLAVES STATUS")) {
            return rs.next() ? rs.getString("Gtid_IO_Pos") : "";
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static StepRecord catchUp(Operation op) {
        return op.steps().stream().filter(s -> s.step() instanceof CatchUp).findFirst().orElseThrow();
    }

    boolean hasRow(SandboxInstance i) {
        return "1".equals(RootSql.value(sandbox(), i, "SELECT COUNT(*) FROM app.rows WHERE id = " + ACKED_ROW));
    }

    @Test
    void aReceivedTransactionWaitingForALockIsAppliedBeforeThePromotion() throws Exception {
        Sandbox sb = sandbox();
        SandboxInstance blocked = sb.replicas().get(0);
        SandboxInstance behind = sb.replicas().get(1);
        // No heartbeat writes: the acknowledged row is the one transaction the candidate has not applied.
        try (FailoverHarness h = new FailoverHarness(sb, "probe:\n  write_heartbeat: false\n")) {
            Connection lock = lastTransactionReceivedButBlocked(blocked, behind);
            sb.kill(sb.primary());
            Operation running = Await.until("the failover to wait in its catch-up for over a second",
                    FAILOVER_TIMEOUT, () -> h.cluster.running().orElse(null), op -> {
                        if (op == null) {
                            return false;
                        }
                        StepRecord c = catchUp(op);
                        if (c.status() != StepStatus.RUNNING && c.status() != StepStatus.NOT_RUN) {
                            throw new AssertionError("catch-up ended while the transaction could not be applied: "
                                    + c.status() + ": " + c.detail());
                        }
                        return c.status() == StepStatus.RUNNING
                                && c.startedAt().isBefore(Instant.now().minusSeconds(1));
                    });
            lock.close();
            Operation op = h.awaitFailover(1, FAILOVER_TIMEOUT);
            assertThat(op.id()).isEqualTo(running.id());
            assertThat(op.outcome()).as(op.summary()).isEqualTo(Operation.Outcome.SUCCEEDED);
            assertThat(op.plan().candidate()).isEqualTo(blocked.key());
            h.assertOnePrimary(blocked, List.of(behind));
            assertThat(hasRow(blocked)).as("the acknowledged row is on the new primary").isTrue();
        }
    }

    @Test
    void aReceivedTransactionThatCannotBeAppliedInTimeStopsTheFailoverUntilForced() throws Exception {
        Sandbox sb = sandbox();
        SandboxInstance blocked = sb.replicas().get(0);
        SandboxInstance behind = sb.replicas().get(1);
        try (FailoverHarness h = new FailoverHarness(sb, "probe:\n  write_heartbeat: false\nfailover:\n"
                + "  catch_up_timeout: 2s\n"); Connection lock = lastTransactionReceivedButBlocked(blocked, behind)) {
            sb.kill(sb.primary());
            Operation op = h.awaitFailover(1, FAILOVER_TIMEOUT);
            assertThat(op.outcome()).as(op.summary()).isEqualTo(Operation.Outcome.FAILED);
            assertThat(catchUp(op).detail()).contains("not promoted").contains("1 received transaction");
            assertThat(Convergence.writable(sb)).as("nothing promoted").isEmpty();
            assertThat(RootSql.replication(sb, blocked)).startsWith("127.0.0.1:" + sb.primary().port());

            var forced = Cli.run("failover", "-c", h.configFile.toString(), "--cluster", "sandbox", "--force",
                    "--reason", "the lock holder will not let go; accept losing its transaction");
            assertThat(forced.exitCode()).as(forced.toString()).isZero();
            Operation second = h.awaitFailover(2, FAILOVER_TIMEOUT);
            assertThat(second.outcome()).as(second.summary()).isEqualTo(Operation.Outcome.SUCCEEDED);
            // Forced: the client session holding the candidate's SQL thread back is ended, so the row is applied
            // after all, and the record says exactly that (no loss claimed, none suffered).
            assertThat(catchUp(second).detail()).contains("forced after 2000 ms: ended")
                    .contains("then it applied everything it received");
            assertThat(second.summary()).doesNotContain("lost");
            SandboxInstance newPrimary = FailoverScenarios.instanceAt(sb, second.plan().candidate());
            assertThat(newPrimary).isEqualTo(blocked);
            assertThat(hasRow(newPrimary)).isTrue();
        }
    }

    /** The manager reaches every server through its own routes; replicas are re-pointed at addresses they reach. */
    @Test
    void replicasArePointedAtTheAddressTheyReachNotAtTheManagersRoute() throws Exception {
        Sandbox sb = sandbox();
        try (Routes manager = Routes.forManager(sb); FailoverHarness h = new FailoverHarness(sb, null, manager.yaml())) {
            h.startWriter(sb.primary());
            sb.kill(sb.primary());
            Operation op = h.awaitFailover(1, FAILOVER_TIMEOUT);
            assertThat(op.outcome()).as(op.summary()).isEqualTo(Operation.Outcome.SUCCEEDED);
            SandboxInstance newPrimary = sb.replicas().stream()
                    .filter(r -> manager.port(r) == op.plan().candidate().port()).findFirst().orElseThrow();
            List<SandboxInstance> survivors = sb.replicas().stream().filter(r -> !r.equals(newPrimary)).toList();
            h.assertOnePrimary(newPrimary, survivors);
        }
    }
}
