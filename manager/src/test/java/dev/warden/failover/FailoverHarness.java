package dev.warden.failover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.actions.Operation;
import dev.warden.config.ConfigLoader;
import dev.warden.config.WardenConfig;
import dev.warden.engine.ClusterMonitor;
import dev.warden.engine.Monitor;
import dev.warden.model.Flavor;
import dev.warden.plan.PlanKind;
import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxInstance;
import dev.warden.testing.Await;
import dev.warden.testing.RootSql;
import dev.warden.bench.RowWriter;
import dev.warden.bench.ServerObserver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A sandbox watched by a real daemon (in this JVM), an application writing numbered rows to the primary, and the
 * test's own observer. Checks what must hold after a failover and reports timings.
 */
final class FailoverHarness implements AutoCloseable {

    final Sandbox sandbox;
    final WardenConfig config;
    final Path configFile;
    final Monitor monitor;
    final ClusterMonitor cluster;
    final ServerObserver observer;
    final dev.warden.web.WebServer web;
    final dev.warden.store.Store store;
    RowWriter writer;

    FailoverHarness(Sandbox sandbox, String extraYaml) throws IOException {
        this(sandbox, extraYaml, null);
    }

    FailoverHarness(Sandbox sandbox, String extraYaml, String rewrittenConfig) throws IOException {
        this(sandbox, extraYaml, rewrittenConfig, sandbox.replicas().size() + "/" + sandbox.replicas().size()
                + " replicas replicating");
    }

    /** @param healthy what the cycle sentence says once the daemon sees the cluster as the test set it up */
    FailoverHarness(Sandbox sandbox, String extraYaml, String rewrittenConfig, String healthy) throws IOException {
        this.sandbox = sandbox;
        String yaml = rewrittenConfig != null ? rewrittenConfig : Files.readString(sandbox.configFile());
        // The daemon's API on a known free port, so the CLI (warden ack, maintenance) can reach it.
        yaml = yaml.replace("listen: 127.0.0.1:0", "listen: 127.0.0.1:" + dev.warden.sandbox.Ports.freeBlock(1));
        this.configFile = sandbox.spec().dir().resolve("test-" + System.nanoTime() + ".yaml");
        Files.writeString(configFile, yaml + (extraYaml == null ? "" : extraYaml));
        this.config = ConfigLoader.load(configFile).config();
        if ("0".equals(RootSql.value(sandbox, sandbox.primary(), "SELECT @@read_only"))) {
            // (a primary started again read-only, as a scenario may set up, already has the schema)
            RowWriter.prepare(statements -> RootSql.exec(sandbox, sandbox.primary(), statements));
        }
        this.observer = new ServerObserver(sandbox);
        // A store of its own: scenarios on the same sandbox must not see each other's history.
        this.store = dev.warden.store.Store.open(dev.warden.config.StoreSettings.sqlite(
                configFile.resolveSibling(configFile.getFileName() + ".db")), Clock.systemUTC(), "test-daemon");
        this.monitor = new Monitor(config, Clock.systemUTC(), "test-daemon", store);
        this.cluster = monitor.cluster("sandbox").orElseThrow();
        monitor.start();
        dev.warden.web.WebServer w = null;
        try {
            w = dev.warden.web.WebServer.start(config.http(), monitor);
            Await.until("a healthy cycle with heartbeat lag", Duration.ofSeconds(30),
                    () -> cluster.latest().orElse(null), c -> c != null && c.number() >= 2
                            && c.sentence().contains(healthy));
        } catch (RuntimeException | Error e) {
            // Not returned, so never closed by the test: stop what runs now (a daemon left watching would keep
            // probing this sandbox's ports for the rest of the run).
            if (w != null) {
                w.close();
            }
            monitor.close();
            store.close();
            try {
                observer.close();
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            throw e;
        }
        this.web = w;
    }

    boolean mysql() {
        return sandbox.flavor().flavor() == Flavor.MYSQL;
    }

    void startWriter(SandboxInstance target) {
        writer = new RowWriter(target.port(), 200);
        Await.until("the writer's first acknowledged rows", Duration.ofSeconds(10), () -> writer.acknowledged().size(),
                n -> n >= 20);
    }

    /**
     * Stops the writer and waits until every replica has applied all the primary executed, so that no replica is
     * ahead of another when the primary dies (with heartbeat writes off, nothing is written meanwhile).
     */
    void stopWriterAndAwaitReplicasCaughtUp() throws InterruptedException {
        if (writer != null) {
            writer.close();
        }
        String executed = RootSql.value(sandbox, sandbox.primary(), mysql() ? "SELECT @@gtid_executed"
                : "SELECT @@gtid_binlog_pos");
        for (SandboxInstance r : sandbox.replicas()) {
            Await.until(r.name() + " caught up", Duration.ofSeconds(20), () -> RootSql.value(sandbox, r,
                    mysql() ? "SELECT GTID_SUBSET('" + executed + "', @@gtid_executed)"
                            : "SELECT @@gtid_slave_pos = '" + executed + "'"), "1"::equals);
        }
    }

    List<Operation> failovers() {
        return cluster.operations().stream().filter(o -> o.plan().kind() == PlanKind.FAILOVER).toList();
    }

    Operation awaitFailover(int nth, Duration timeout) {
        return Await.until("failover #" + nth + " to end", timeout, this::failovers,
                ops -> ops.size() >= nth && ops.get(nth - 1).outcome() != Operation.Outcome.RUNNING).get(nth - 1);
    }

    /** Exactly one writable server, replicating from nobody; every survivor replicates from it, both threads running. */
    void assertOnePrimary(SandboxInstance primary, List<SandboxInstance> survivors) {
        dev.warden.testing.Convergence.onePrimary(sandbox, primary, survivors, Duration.ofSeconds(30));
    }

    /**
     * Ids of acknowledged rows the server lacks; they may only be the newest of those other servers took (async
     * replication's tail). Rows the server took itself (the writer followed it after a promotion) come after the
     * tail by construction, so they are not what a lost row is compared with.
     */
    long lostAckedRows(SandboxInstance server) throws InterruptedException {
        if (writer != null) {
            writer.close();
        }
        Set<Long> present = new HashSet<>();
        long maxPresent = 0;
        for (String row : RootSql.values(sandbox, server, "SELECT CONCAT(id, ' ', COALESCE(srv, 0)) FROM app.rows")) {
            String[] f = row.split(" ");
            long id = Long.parseLong(f[0]);
            present.add(id);
            if (Integer.parseInt(f[1]) != server.port()) {
                maxPresent = Math.max(maxPresent, id);
            }
        }
        long newestReplicated = maxPresent;
        List<Long> lost = writer == null ? List.of()
                : writer.acknowledged().stream().filter(id -> !present.contains(id)).toList();
        assertThat(lost).as("rows lost can only be the newest acknowledged ones, never one before a row that made it "
                        + "from another server")
                .allSatisfy(id -> assertThat(id).isGreaterThan(newestReplicated));
        return lost.size();
    }

    /** No replica has a transaction its primary lacks. */
    void assertNoErrant(SandboxInstance primary, List<SandboxInstance> replicas) {
        for (SandboxInstance r : replicas) {
            Await.until(r.name() + " to have nothing " + primary.name() + " lacks", Duration.ofSeconds(20),
                    () -> errant(primary, r), String::isEmpty);
        }
    }

    String errant(SandboxInstance primary, SandboxInstance replica) {
        if (mysql()) {
            String p = RootSql.value(sandbox, primary, "SELECT @@gtid_executed");
            return RootSql.value(sandbox, replica, "SELECT GTID_SUBTRACT(@@gtid_executed, '" + p + "')");
        }
        var p = dev.warden.model.MariaDbBinlogState.parse(RootSql.value(sandbox, primary, "SELECT @@gtid_binlog_state"));
        var r = dev.warden.model.MariaDbBinlogState.parse(RootSql.value(sandbox, replica, "SELECT @@gtid_binlog_state"));
        return String.join(",", r.notIn(p));
    }

    /** Prints what the test's observer measured, for the closing note (figures, not assertions). */
    void report(String scenario, Instant fault, Operation op, SandboxInstance newPrimary,
                List<SandboxInstance> survivors, long lost) {
        Instant writable = observer.writableSince(newPrimary, fault);
        Instant repointed = observer.allReplicatingFrom(newPrimary, survivors, fault);
        String line = String.format(Locale.ROOT, "FAILOVER-TIMING %s %s: detected %s s, new primary writable %s s, "
                        + "all replicas re-pointed %s s, acknowledged rows lost %d, known transactions missing %d",
                sandbox.flavor(), scenario, secs(fault, op.startedAt()), secs(fault, writable), secs(fault, repointed),
                lost, op.plan().knownMissing());
        System.out.println(line);
        try {
            Files.writeString(Path.of("target", "failover-timings.txt"), line + "\n",
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            // the figure is on stdout anyway
        }
    }

    static String secs(Instant from, Instant to) {
        return to == null ? "n/a" : String.format(Locale.ROOT, "%.3f", Duration.between(from, to).toNanos() / 1e9);
    }

    @Override
    public void close() throws Exception {
        if (writer != null) {
            writer.close();
        }
        web.close();
        monitor.close();
        store.close();
        observer.close();
    }
}
