package dev.warden.bench;

import dev.warden.config.ConfigLoader;
import dev.warden.config.WardenConfig;
import dev.warden.engine.ClusterMonitor;
import dev.warden.engine.Monitor;
import dev.warden.sandbox.Ports;
import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxFlavor;
import dev.warden.sandbox.SandboxManager;
import dev.warden.sandbox.SandboxSpec;
import dev.warden.sandbox.SandboxInstance;
import dev.warden.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * One benchmark's cluster: a fresh sandbox on free ports, Warden watching it in this JVM with the profile's
 * settings and its own store, the independent observer, and the application's table. Closing stops everything.
 */
final class BenchCluster implements AutoCloseable {

    final Sandbox sandbox;
    Monitor monitor;
    ClusterMonitor cluster;
    ServerObserver observer;
    private Store store;

    BenchCluster(SandboxFlavor flavor, int replicas, Profile profile, Path dir) throws IOException {
        this(flavor, replicas, profile, dir, true);
    }

    /** @param observe run the independent observer (it polls every server every 10 ms from this JVM) */
    BenchCluster(SandboxFlavor flavor, int replicas, Profile profile, Path dir, boolean observe) throws IOException {
        SandboxSpec spec = new SandboxSpec(flavor, replicas, Ports.freeBlock(replicas + 1), dir,
                SandboxSpec.defaultCacheDir(), profile.heartbeat);
        this.sandbox = SandboxManager.up(spec, 0);
        try {
            Path cfg = dir.resolve("bench.yaml");
            Files.writeString(cfg, Files.readString(sandbox.configFile()) + profile.yaml);
            WardenConfig config = ConfigLoader.load(cfg).config();
            this.store = Store.open(config.store(), Clock.systemUTC(), "bench");
            this.monitor = new Monitor(config, Clock.systemUTC(), "bench", store);
            this.cluster = monitor.cluster("sandbox").orElseThrow();
            RowWriter.prepare(sql -> root(sandbox.primary(), sql));
            this.observer = observe ? new ServerObserver(sandbox) : null;
            monitor.start();
            await("a healthy cycle with measured lag", Duration.ofSeconds(120), () -> cluster.latest()
                    .map(c -> c.sentence().contains(replicas + "/" + replicas + " replicas replicating")
                            && c.sentence().contains("max lag <=")).orElse(false));
        } catch (RuntimeException | IOException e) {
            close();
            throw e;
        }
    }

    void root(SandboxInstance i, String... statements) {
        root(sandbox, i, statements);
    }

    static void root(Sandbox sandbox, SandboxInstance i, String... statements) {
        try (Connection c = sandbox.root(i); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("on " + i.name() + ": " + e.getMessage(), e);
        }
    }

    String value(SandboxInstance i, String query) {
        try (Connection c = sandbox.root(i); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException("on " + i.name() + ": " + e.getMessage(), e);
        }
    }

    /** Acknowledged rows the server lacks. */
    long lost(SandboxInstance server, List<Long> acknowledged) {
        return lost(sandbox, server, acknowledged);
    }

    static long lost(Sandbox sandbox, SandboxInstance server, List<Long> acknowledged) {
        Set<Long> present = new HashSet<>();
        try (Connection c = sandbox.root(server); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id FROM app.rows")) {
            while (rs.next()) {
                present.add(rs.getLong(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("on " + server.name() + ": " + e.getMessage(), e);
        }
        return acknowledged.stream().filter(id -> !present.contains(id)).count();
    }

    /** Transactions {@code replica} has that {@code primary} lacks. */
    long errant(SandboxInstance primary, SandboxInstance replica) {
        if (sandbox.flavor().flavor() == dev.warden.model.Flavor.MYSQL) {
            String p = value(primary, "SELECT @@gtid_executed");
            String e = value(replica, "SELECT GTID_SUBTRACT(@@gtid_executed, '" + p + "')");
            return e == null || e.isBlank() ? 0 : dev.warden.model.GtidSet.parse(e).count();
        }
        var p = dev.warden.model.MariaDbBinlogState.parse(value(primary, "SELECT @@gtid_binlog_state"));
        var r = dev.warden.model.MariaDbBinlogState.parse(value(replica, "SELECT @@gtid_binlog_state"));
        return r.notIn(p).size();
    }

    SandboxInstance at(dev.warden.model.InstanceKey key) {
        return sandbox.instances().stream().filter(i -> i.key().equals(key)).findFirst().orElseThrow();
    }

    List<SandboxInstance> others(SandboxInstance primary) {
        List<SandboxInstance> out = new ArrayList<>(sandbox.instances());
        out.remove(primary);
        return out;
    }

    /** Waits for {@code value} to give something other than null, and returns it. */
    static <T> T awaitValue(String what, Duration timeout, java.util.function.Supplier<T> value) {
        return awaitValue(what, timeout, Duration.ofMillis(20), value);
    }

    /** @param every how often to look: a look that loads the system measured is made seldom */
    static <T> T awaitValue(String what, Duration timeout, Duration every, java.util.function.Supplier<T> value) {
        Object[] seen = new Object[1];
        await(what, timeout, every, () -> (seen[0] = value.get()) != null);
        @SuppressWarnings("unchecked")
        T t = (T) seen[0];
        return t;
    }

    static void await(String what, Duration timeout, BooleanSupplier done) {
        await(what, timeout, Duration.ofMillis(20), done);
    }

    static void await(String what, Duration timeout, Duration every, BooleanSupplier done) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            try {
                Thread.sleep(every.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + what, e);
            }
        }
    }

    @Override
    public void close() {
        try {
            if (observer != null) {
                observer.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (monitor != null) {
            monitor.close();
        }
        if (store != null) {
            store.close();
        }
        for (SandboxInstance i : sandbox.instances()) {
            if (sandbox.isRunning(i)) {
                sandbox.thaw(i);
            }
        }
        sandbox.close();
    }
}
