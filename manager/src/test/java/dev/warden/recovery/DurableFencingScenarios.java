package dev.warden.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.model.Flavor;
import dev.warden.model.InstanceKey;
import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxInstance;
import dev.warden.testing.Await;
import dev.warden.testing.Convergence;
import dev.warden.testing.Daemon;
import dev.warden.testing.RootSql;
import java.nio.file.Files;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Safety across manager crashes and store trouble, with {@code warden run} in its own JVM: the obligation to keep
 * an old primary fenced, a resumed failover that must confirm the death again, a stalled store, a lost store lock.
 */
abstract class DurableFencingScenarios {

    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    static final Duration CONVERGE = Duration.ofSeconds(40);

    abstract Sandbox sandbox();

    /** A single server that holds MySQL stores (not part of the cluster). */
    abstract Sandbox storeServer();

    boolean mysql() {
        return sandbox().flavor().flavor() == Flavor.MYSQL;
    }

    void makeWritable(SandboxInstance i) {
        RootSql.exec(sandbox(), i, mysql() ? new String[] {"SET GLOBAL super_read_only = 0", "SET GLOBAL read_only = 0"}
                : new String[] {"SET GLOBAL read_only = 0"});
    }

    /** The manager dies after the failover's record ended and before anything else was kept: the fence still holds. */
    @Test
    void theFenceOfTheOldPrimarySurvivesACrashRightAfterTheFailover() throws Exception {
        Sandbox sb = sandbox();
        SandboxInstance old = sb.primary();
        try (Daemon d = new Daemon(sb)) {
            d.start("finished").awaitHealthy();
            sb.kill(old);
            String id = d.awaitPaused("finished");
            d.crash();
            SandboxInstance back = sb.restart(old);
            makeWritable(back); // a DBA, or a my.cnf without read_only
            d.start(null);
            Await.until("the old primary fenced by the restarted manager", CONVERGE,
                    () -> RootSql.value(sb, back, "SELECT @@read_only"), "1"::equals);
            JsonNode op = CrashRecoveryScenarios.awaitEnded(d, id);
            SandboxInstance candidate = CrashRecoveryScenarios.byKey(sb, op);
            assertThat(Convergence.writable(sb)).extracting(SandboxInstance::name).containsExactly(candidate.name());
        }
    }

    /**
     * The manager dies right after the promotion was recorded; while it is down the old primary comes back writable
     * and the promoted server stops answering (SIGSTOP). The restarted manager waits for the promoted server (it
     * promotes nobody else from that record), and while it waits it fences the old primary again: the wait never
     * leaves the old primary writable. Once the promoted server answers, the failover is finished on it.
     */
    @Test
    void whileARestartedManagerWaitsForThePromotedServerTheOldPrimaryIsFencedAgain() throws Exception {
        Sandbox sb = sandbox();
        SandboxInstance old = sb.primary();
        try (Daemon d = new Daemon(sb)) {
            d.start("after:promote").awaitHealthy();
            sb.kill(old);
            String id = d.awaitPaused("after:promote");
            d.crash();
            InstanceKey promoted = CrashRecoveryScenarios.stored(d, id).plan().candidate();
            SandboxInstance candidate = sb.instances().stream().filter(i -> i.key().equals(promoted)).findFirst()
                    .orElseThrow();
            sb.freeze(candidate);
            try {
                SandboxInstance back = sb.restart(old);
                makeWritable(back);
                d.start(null);
                Await.until("the old primary fenced again while the manager waits", CONVERGE,
                        () -> RootSql.value(sb, back, "SELECT @@read_only"), "1"::equals);
                var r = d.get("/api/operations/" + id);
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(CrashRecoveryScenarios.JSON.readTree(r.body()).get("outcome").asText())
                        .as("fenced during the wait, not after it gave up").isEqualTo("RUNNING");
            } finally {
                sb.thaw(candidate);
            }
            JsonNode op = CrashRecoveryScenarios.awaitEnded(d, id);
            assertThat(op.get("outcome").asText()).as(op.toString()).isEqualTo("SUCCEEDED");
            assertThat(Convergence.writable(sb)).extracting(SandboxInstance::name).containsExactly(candidate.name());
        }
    }

    /**
     * The manager dies just before it promotes; the old primary comes back while it is down. The restarted manager
     * resumes only on a death it confirms again with votes: here it does not, so nothing is promoted; the old
     * primary, started again read-only with its replicas attached and nothing they have that it lacks, is made
     * writable again (else the cluster would stay without a writable primary).
     */
    @Test
    void aResumedFailoverPromotesOnlyOnADeathConfirmedAgain() throws Exception {
        Sandbox sb = sandbox();
        SandboxInstance old = sb.primary();
        try (Daemon d = new Daemon(sb)) {
            d.start("before:promote").awaitHealthy();
            sb.kill(old);
            String id = d.awaitPaused("before:promote");
            d.crash();
            sb.restart(old);
            for (SandboxInstance r : sb.replicas()) {
                Await.until(r.name() + " replicating from the restarted old primary", CONVERGE,
                        () -> RootSql.replication(sb, r), ("127.0.0.1:" + old.port() + " Yes Yes")::equals);
            }
            d.start(null);
            JsonNode op = CrashRecoveryScenarios.awaitEnded(d, id);
            assertThat(op.get("outcome").asText()).as(op.toString()).isEqualTo("INTERRUPTED");
            assertThat(op.get("summary").asText()).contains("no replica has anything it lacks")
                    .contains("writable again");
            assertThat(Convergence.writable(sb)).as("no replica promoted over a live primary; the old one writable")
                    .extracting(SandboxInstance::name).containsExactly(old.name());
            for (SandboxInstance r : sb.replicas()) {
                assertThat(RootSql.replication(sb, r)).isEqualTo("127.0.0.1:" + old.port() + " Yes Yes");
            }
        }
    }

    /** A MySQL store schema on the store server, and the daemon's configuration pointing at it. */
    String useMysqlStore(Daemon d) throws Exception {
        Sandbox st = storeServer();
        String schema = "warden_safety_" + SCHEMAS.incrementAndGet() + "_" + System.nanoTime() % 100000;
        RootSql.exec(st, st.primary(), "CREATE DATABASE " + schema,
                "CREATE USER IF NOT EXISTS 'store'@'%' IDENTIFIED BY 'store-pw'",
                "GRANT ALL ON " + schema + ".* TO 'store'@'%'");
        String yaml = Files.readString(d.config).replaceAll("store:\\n  path: [^\\n]*\\n",
                "store:\n  mysql:\n    url: jdbc:mysql://127.0.0.1:" + st.primary().port() + "/" + schema
                        + "?allowPublicKeyRetrieval=true\n    user: store\n    password: store-pw\n");
        Files.writeString(d.config, yaml);
        return schema;
    }

    /** The store's server hangs: detection goes on (the failover waits until it can be recorded). */
    @Test
    void aStalledStoreDoesNotStopDetection() throws Exception {
        Sandbox sb = sandbox();
        Sandbox st = storeServer();
        try (Daemon d = new Daemon(sb)) {
            useMysqlStore(d);
            d.start(null).awaitHealthy();
            st.freeze(st.primary());
            try {
                int before = d.output().length();
                sb.kill(sb.primary());
                Await.until("DeadPrimary reported while the store hangs", CONVERGE, d::output,
                        o -> o.substring(before).contains("DeadPrimary " + sb.primary().key()));
                assertThat(Convergence.writable(sb)).as("not started while it cannot be recorded").isEmpty();
            } finally {
                st.thaw(st.primary());
            }
            Await.until("a new primary once the store answers", CONVERGE, () -> Convergence.writable(sb),
                    w -> w.size() == 1);
        }
    }

    /** Another process takes the MySQL store's lock: this manager stops acting and says so. */
    @Test
    void losingTheStoreLockStopsAutomation() throws Exception {
        Sandbox sb = sandbox();
        Sandbox st = storeServer();
        try (Daemon d = new Daemon(sb)) {
            String schema = useMysqlStore(d);
            d.start(null).awaitHealthy();
            String lockName = "warden_store." + schema;
            String holder = RootSql.value(st, st.primary(), "SELECT IS_USED_LOCK('" + lockName + "')");
            assertThat(holder).as("the manager holds its store lock").isNotNull();
            RootSql.exec(st, st.primary(), "KILL " + holder);
            try (Connection thief = RootSql.session(st, st.primary(), "DO GET_LOCK('" + lockName + "', 5)")) {
                Await.until("StoreLockLost reported", CONVERGE, () -> CrashRecoveryScenarios.awaitFinding(d,
                        "StoreLockLost", true), x -> true);
                int before = d.output().length();
                Instant killed = Instant.now();
                sb.kill(sb.primary());
                Await.until("the dead primary's failover held back", CONVERGE, d::output,
                        o -> o.substring(before).contains("-> no action: the store's lock"));
                while (Instant.now().isBefore(killed.plusSeconds(5))) {
                    assertThat(Convergence.writable(sb)).as("no failover without the store lock").isEmpty();
                    Thread.sleep(200);
                }
            }
            Await.until("the failover once the lock is back", CONVERGE, () -> Convergence.writable(sb),
                    w -> w.size() == 1);
        }
    }
}
