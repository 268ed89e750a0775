package dev.warden.failover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.actions.Operation;
import dev.warden.engine.Actor;
import dev.warden.engine.RequestResult;
import dev.warden.hooks.HookOutcome;
import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxInstance;
import dev.warden.testing.Await;
import dev.warden.testing.Cli;
import dev.warden.testing.Convergence;
import dev.warden.testing.HookServer;
import dev.warden.testing.RootSql;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Safety: every wait is bounded on the server too, records say what the servers show, fencing holds, and nothing
 * hangs a cluster. A fresh sandbox per test.
 */
abstract class BoundScenarios {

    abstract Sandbox sandbox();

    static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(40);
    static final Actor TEST = new Actor("test", "127.0.0.1");
    /** Longer than any of the running daemon's bounded statements, far shorter than a wait on a held lock. */
    static final Duration LEFT_BEHIND = Duration.ofSeconds(5);

    boolean mysql() {
        return sandbox().flavor().flavor() == dev.warden.model.Flavor.MYSQL;
    }

    /**
     * Statements of Warden's account still running on a server (not sleeping), as "id: info". The running daemon's
     * probe reads carry a server-side bound of under a second (MAX_EXECUTION_TIME / max_statement_time) and end by
     * themselves: one caught in flight is not a statement left behind.
     */
    static List<String> wardenStatements(Sandbox sb, SandboxInstance i) {
        return RootSql.values(sb, i, "SELECT CONCAT(ID, ': ', COALESCE(INFO, '')) FROM information_schema.PROCESSLIST "
                + "WHERE USER = 'warden' AND COMMAND <> 'Sleep' AND COALESCE(INFO, '') NOT LIKE 'SELECT SLEEP(%' "
                + "AND COALESCE(INFO, '') NOT LIKE 'SET STATEMENT max_statement_time = 0.% FOR SELECT %' "
                + "AND COALESCE(INFO, '') NOT LIKE 'SELECT /*+ MAX_EXECUTION_TIME(%'");
    }

    static int wardenSessions(Sandbox sb, SandboxInstance i) {
        return Integer.parseInt(RootSql.value(sb, i,
                "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = 'warden'"));
    }

    /**
     * A client holds a table lock on the primary, so it cannot be made read-only in time: the switchover is rolled
     * back, nothing Warden started is left waiting on the server, and the primary stays writable after the lock goes.
     */
    @Test
    void aSwitchoverThatCannotMakeThePrimaryReadOnlyIsRolledBackAndLeavesItWritable() throws Exception {
        Sandbox sb = sandbox();
        try (FailoverHarness h = new FailoverHarness(sb, null)) {
            Connection lock = RootSql.session(sb, sb.primary(), "LOCK TABLES app.rows WRITE");
            RequestResult r = h.cluster.switchover(null, false, TEST);
            assertThat(r).isInstanceOf(RequestResult.Ran.class);
            Operation op = ((RequestResult.Ran) r).operation();
            assertThat(op.outcome()).as(op.summary()).isEqualTo(Operation.Outcome.ROLLED_BACK);
            // The running daemon's own probes and heartbeat writes may be caught in flight; a statement the
            // switchover left waiting on the lock would never end while the lock is held.
            Await.until("nothing Warden started still running on the primary", LEFT_BEHIND,
                    () -> wardenStatements(sb, sb.primary()), List::isEmpty);
            lock.close();
            Await.until("nothing of Warden's running on the primary", LEFT_BEHIND,
                    () -> wardenStatements(sb, sb.primary()), List::isEmpty);
            assertThat(RootSql.value(sb, sb.primary(), "SELECT @@read_only")).isEqualTo("0");
            if (mysql()) {
                assertThat(RootSql.value(sb, sb.primary(), "SELECT @@super_read_only")).isEqualTo("0");
            }
            assertThat(op.summary()).contains("Verified afterwards: nothing else changed");
            for (SandboxInstance rep : sb.replicas()) {
                assertThat(RootSql.replication(sb, rep)).isEqualTo("127.0.0.1:" + sb.primary().port() + " Yes Yes");
            }
        }
    }

    /**
     * A global read lock on the primary for several seconds, then a metadata lock on its heartbeat table: Warden's
     * sessions on it stay few (timed-out statements are ended on the server, not left to pile up), and it is not
     * failed over (its replicas still hear from it).
     */
    @Test
    void wardensSessionsStayFewWhileThePrimaryIsStuck() throws Exception {
        Sandbox sb = sandbox();
        try (FailoverHarness h = new FailoverHarness(sb, null)) {
            int most = 0;
            for (String lock : List.of("FLUSH TABLES WITH READ LOCK", "LOCK TABLES warden.heartbeat WRITE")) {
                try (Connection held = RootSql.session(sb, sb.primary(), lock)) {
                    Instant until = Instant.now().plusSeconds(5);
                    while (Instant.now().isBefore(until)) {
                        most = Math.max(most, wardenSessions(sb, sb.primary()));
                        Thread.sleep(100);
                    }
                }
                assertThat(most).as("Warden's sessions on the primary under " + lock).isLessThanOrEqualTo(4);
            }
            assertThat(h.failovers()).isEmpty();
        }
    }

    /** A reachable primary that Warden cannot fence (its account lost the privilege there) is never replaced. */
    @Test
    void aReachableOldPrimaryThatCannotBeFencedIsNotReplaced() throws Exception {
        Sandbox sb = sandbox();
        try (FailoverHarness h = new FailoverHarness(sb, null)) {
            RootSql.exec(sb, sb.primary(), "SET SESSION sql_log_bin = 0", mysql()
                    ? "REVOKE SYSTEM_VARIABLES_ADMIN ON *.* FROM 'warden'@'%'"
                    : "REVOKE READ_ONLY ADMIN ON *.* FROM 'warden'@'%'");
            RequestResult r = h.cluster.failover(TEST, true, "test: a forced failover of a healthy primary", false);
            assertThat(r).isInstanceOf(RequestResult.Ran.class);
            Operation op = ((RequestResult.Ran) r).operation();
            assertThat(op.outcome()).as(op.summary()).isEqualTo(Operation.Outcome.FAILED);
            assertThat(op.summary()).contains("Nothing is promoted while it may still take writes")
                    .contains("No replica was promoted");
            assertThat(Convergence.writable(sb)).extracting(SandboxInstance::name)
                    .containsExactly(sb.primary().name());
            for (SandboxInstance rep : sb.replicas()) {
                assertThat(RootSql.replication(sb, rep)).isEqualTo("127.0.0.1:" + sb.primary().port() + " Yes Yes");
            }
        }
    }

    /** An old primary made writable by hand during maintenance is fenced again at once: maintenance or not. */
    @Test
    void anOldPrimaryMadeWritableDuringMaintenanceIsFencedAgain() throws Exception {
        Sandbox sb = sandbox();
        try (FailoverHarness h = new FailoverHarness(sb, "failover:\n  rejoin_old_primary: false\n")) {
            sb.kill(sb.primary());
            Operation op = h.awaitFailover(1, FAILOVER_TIMEOUT);
            assertThat(op.outcome()).as(op.summary()).isEqualTo(Operation.Outcome.SUCCEEDED);
            SandboxInstance old = sb.restart(sb.primary());
            var on = Cli.run("maintenance", "on", "-c", h.configFile.toString(), "--cluster", "sandbox");
            assertThat(on.exitCode()).as(on.toString()).isZero();
            RootSql.exec(sb, old, mysql() ? "SET GLOBAL super_read_only = OFF" : "SET GLOBAL read_only = ON",
                    "SET GLOBAL read_only = OFF");
            Await.until("the old primary fenced again during maintenance", Duration.ofSeconds(20),
                    () -> RootSql.value(sb, old, "SELECT @@read_only"), "1"::equals);
            SandboxInstance newPrimary = FailoverScenarios.instanceAt(sb, op.plan().candidate());
            assertThat(Convergence.writable(sb)).extracting(SandboxInstance::name).containsExactly(newPrimary.name());
        }
    }

    /** A webhook that answers its headers and then never sends its body is cut at its deadline. */
    @Test
    void aHookThatStallsItsBodyIsCutAtItsDeadline() throws Exception {
        Sandbox sb = sandbox();
        try (HookServer hooks = new HookServer();
             FailoverHarness h = new FailoverHarness(sb, "hooks:\n  - {name: stalls, type: http, url: '"
                     + hooks.url("/stall-body") + "', events: [post_failover], timeout: 1s, retries: 0}\n")) {
            sb.kill(sb.primary());
            Operation op = h.awaitFailover(1, FAILOVER_TIMEOUT);
            assertThat(op.outcome()).as(op.summary()).isEqualTo(Operation.Outcome.SUCCEEDED);
            List<HookOutcome> outcomes = Await.until("the stalled hook's outcome recorded", Duration.ofSeconds(10),
                    () -> h.failovers().get(0).hooks(), l -> l.stream().anyMatch(o -> o.hook().equals("stalls")));
            HookOutcome o = outcomes.stream().filter(x -> x.hook().equals("stalls")).findFirst().orElseThrow();
            assertThat(o.status()).isEqualTo(HookOutcome.Status.TIMED_OUT);
            assertThat(o.took()).isLessThan(Duration.ofSeconds(3));
        }
    }

    /** {@code warden status --json} reports what is wrong, not an empty list. */
    @Test
    void statusJsonReportsTheRealFindings() throws Exception {
        Sandbox sb = sandbox();
        RootSql.replicaCommand(sb, sb.replicas().get(0), dev.warden.dialect.Dialect::stopReplicaSqlThread);
        var run = Cli.run("status", "-c", sb.configFile().toString(), "--json");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.out());
        assertThat(json.get(0).get("cluster").get("findings").toString()).contains("ReplicationStopped")
                .contains(sb.replicas().get(0).key().toString());
    }
}
