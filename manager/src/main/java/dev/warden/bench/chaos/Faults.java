package dev.warden.bench.chaos;

import dev.warden.dialect.Dialect;
import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxInstance;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Injects one round's fault into the running cluster and undoes what a DBA would undo (a killed server is started
 * again, a partition heals, a lock is released). Returns when the fault is over: its window is what the invariants
 * judge failovers by.
 */
final class Faults {

    /**
     * @param start  when the fault began
     * @param end    when it was over (the last server started again, the partition healed, the lock released)
     * @param length how long the primary was hung or isolated (hangs and isolations), zero otherwise
     */
    record Window(Instant start, Instant end, Duration length, String note) {
    }

    private Faults() {
    }

    static Window inject(ChaosCluster c, RoundPlan p) throws Exception {
        Sandbox sb = c.sandbox;
        SandboxInstance primary = sb.primary();
        SandboxInstance replica = sb.replicas().get(Math.max(0, p.target()));
        Instant t0 = Instant.now();
        switch (p.kind()) {
            case KILL_PRIMARY, STALLED_HOOK -> {
                sb.kill(primary);
                sleepUntil(t0.plus(p.restartAfter()));
                c.restart(primary);
                return new Window(t0, Instant.now(), Duration.ZERO, "primary killed, started again after "
                        + Invariants.ms(p.restartAfter()));
            }
            case STOP_PRIMARY -> {
                sb.freeze(primary);
                sleepUntil(t0.plus(p.length()));
                try {
                    sb.thaw(primary);
                } catch (dev.warden.sandbox.SandboxException gone) {
                    // STONITH killed it while it was stopped
                }
                Instant thawed = Instant.now();
                Thread.sleep(500);
                SandboxInstance now = sb.instance(primary.name());
                if (!sb.isRunning(now)) {
                    // Its failover fenced it with the STONITH hook: a DBA starts it again.
                    c.restart(now);
                    return new Window(t0, thawed, p.length(), "primary stopped for " + Invariants.ms(p.length())
                            + "; fenced by STONITH, started again");
                }
                return new Window(t0, thawed, p.length(), "primary stopped for " + Invariants.ms(p.length()));
            }
            case KILL_REPLICA -> {
                sb.kill(replica);
                sleepUntil(t0.plus(p.restartAfter()));
                c.restart(replica);
                return new Window(t0, Instant.now(), Duration.ZERO, replica.name() + " killed");
            }
            case STOP_REPLICA -> {
                sb.freeze(replica);
                sleepUntil(t0.plus(p.length()));
                sb.thaw(replica);
                return new Window(t0, Instant.now(), Duration.ZERO, replica.name() + " stopped");
            }
            case MANAGER_PARTITION -> {
                String g = c.net.group("manager");
                var rule = p.drop() ? c.net.drop(g, primary.port()) : c.net.refuse(g, primary.port());
                sleepUntil(t0.plus(p.length()));
                c.net.remove(rule);
                return new Window(t0, Instant.now(), Duration.ZERO, "manager cut off from the primary");
            }
            case REPLICA_PARTITION -> {
                List<SandboxInstance> cut = p.target() < 0 ? sb.replicas() : List.of(replica);
                for (SandboxInstance r : cut) {
                    String g = c.net.group(r.name());
                    if (p.drop()) {
                        c.net.drop(g, primary.port());
                    } else {
                        c.net.refuse(g, primary.port());
                    }
                }
                sleepUntil(t0.plus(p.length()));
                c.net.heal();
                return new Window(t0, Instant.now(), Duration.ZERO, cut.size() + " replica(s) cut off from the primary");
            }
            case ISOLATE_PRIMARY -> {
                c.net.isolate(primary.port());
                sleepUntil(t0.plus(p.length()));
                c.net.heal();
                Instant healed = Instant.now();
                // The STONITH hook may have killed it (its failover fenced it that way): a DBA starts it again.
                Thread.sleep(1000);
                SandboxInstance now = sb.instance(primary.name());
                if (!sb.isRunning(now)) {
                    c.restart(now);
                    return new Window(t0, healed, p.length(), "primary isolated; fenced by STONITH, started again");
                }
                return new Window(t0, healed, p.length(), "primary isolated");
            }
            case SLOW_APPLY -> {
                try (Connection lock = session(sb, replica, "LOCK TABLES app.rows READ")) {
                    Thread.sleep(p.delay().toMillis());
                    Instant killed = Instant.now();
                    sb.kill(primary);
                    sleepUntil(killed.plus(p.length()));
                }
                sleepUntil(t0.plus(p.restartAfter()));
                c.restart(primary);
                return new Window(t0, Instant.now(), Duration.ZERO, replica.name() + " could not apply for "
                        + Invariants.ms(p.length()) + " when the primary was killed");
            }
            case SWITCHOVER_LOCKED -> {
                CompletableFuture<Object> asked;
                try (Connection lock = session(sb, primary, p.ftwrl() ? "FLUSH TABLES WITH READ LOCK"
                        : "LOCK TABLES app.rows WRITE")) {
                    asked = CompletableFuture.supplyAsync(() -> c.daemon.post("/api/clusters/sandbox/switchover",
                            "{}", Duration.ofSeconds(60)));
                    Thread.sleep(p.length().toMillis());
                }
                asked.get(70, java.util.concurrent.TimeUnit.SECONDS);
                return new Window(t0, Instant.now(), Duration.ZERO, "switchover asked while a client held "
                        + (p.ftwrl() ? "a global read lock" : "a table lock") + " on the primary");
            }
            case CREDENTIALS -> {
                ChaosCluster.root(sb, primary, "ALTER USER 'repl'@'%' IDENTIFIED BY 'changed-by-a-dba'");
                for (SandboxInstance r : sb.replicas()) {
                    ChaosCluster.replicaCommand(sb, r, Dialect::stopReplicaIoThread, Dialect::startReplicaIoThread);
                }
                String g = c.net.group("manager");
                var rule = p.drop() ? c.net.drop(g, primary.port()) : c.net.refuse(g, primary.port());
                sleepUntil(t0.plus(p.length()));
                c.net.remove(rule);
                ChaosCluster.root(sb, primary, "ALTER USER 'repl'@'%' IDENTIFIED BY '"
                        + dev.warden.sandbox.SandboxCredentials.REPL_PASSWORD + "'");
                for (SandboxInstance r : sb.replicas()) {
                    ChaosCluster.replicaCommand(sb, r, Dialect::stopReplicaIoThread, Dialect::startReplicaIoThread);
                }
                return new Window(t0, Instant.now(), Duration.ZERO, "replication password changed, manager cut off");
            }
            case MANAGER_KILL -> {
                sb.kill(primary);
                Thread.sleep(p.delay().toMillis());
                c.daemon.crash();
                Thread.sleep(500 + p.delay().toMillis() / 2);
                c.daemon.start();
                sleepUntil(t0.plus(p.restartAfter()));
                c.restart(primary);
                return new Window(t0, Instant.now(), Duration.ZERO, "manager killed " + Invariants.ms(p.delay())
                        + " after the primary");
            }
            case STORE_OUTAGE -> {
                SandboxInstance store = c.storeServer.primary();
                c.storeServer.freeze(store);
                Thread.sleep(p.delay().toMillis());
                sb.kill(primary);
                sleepUntil(t0.plus(p.length()));
                c.storeServer.thaw(store);
                sleepUntil(t0.plus(p.restartAfter()));
                c.restart(primary);
                return new Window(t0, Instant.now(), Duration.ZERO, "store hung for " + Invariants.ms(p.length())
                        + " when the primary was killed");
            }
            default -> throw new IllegalArgumentException("no injection for " + p.kind());
        }
    }

    /** A root session kept open by the round (holding a lock); closing it releases the lock. */
    static Connection session(Sandbox sb, SandboxInstance i, String sql) throws SQLException {
        Connection c = sb.root(i);
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    static void sleepUntil(Instant t) throws InterruptedException {
        long ms = Duration.between(Instant.now(), t).toMillis();
        if (ms > 0) {
            Thread.sleep(ms);
        }
    }

    static List<String> none() {
        return new ArrayList<>();
    }
}
