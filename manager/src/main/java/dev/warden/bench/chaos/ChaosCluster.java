package dev.warden.bench.chaos;

import dev.warden.dialect.Dialect;
import dev.warden.probe.Deadline;
import dev.warden.probe.Jdbc;
import dev.warden.sandbox.HaproxyProcess;
import dev.warden.sandbox.Ports;
import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxFlavor;
import dev.warden.sandbox.SandboxInstance;
import dev.warden.sandbox.SandboxManager;
import dev.warden.sandbox.SandboxSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What one round runs on: a fresh sandbox (primary and two replicas, the sandbox's defaults), HAProxy in front when it
 * is installed, the round's cgroups, a MySQL store server when the fault needs one, the configuration, and the
 * manager as its own process. Closing stops and removes all of it, also after a failure.
 */
final class ChaosCluster implements AutoCloseable {

    final RoundPlan plan;
    final Path dir;
    final Sandbox sandbox;
    final HaproxyProcess haproxy;
    final Netfilter net;
    final Sandbox storeServer;
    final ChaosDaemon daemon;
    final StallingHttp stalling;
    final Path store;
    private final List<AutoCloseable> opened = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Stops the round's servers, manager and rules when the campaign itself is stopped (SIGTERM, Ctrl-C). */
    private final Thread onExit = new Thread(this::release, "chaos-cleanup");

    ChaosCluster(SandboxFlavor flavor, RoundPlan plan, Path dir, boolean partitions) throws Exception {
        this.plan = plan;
        this.dir = Files.createDirectories(dir);
        Sandbox sb = null;
        HaproxyProcess hp = null;
        Netfilter nf = null;
        Sandbox st = null;
        StallingHttp stall = null;
        ChaosDaemon d;
        Runtime.getRuntime().addShutdownHook(onExit);
        try {
            int httpPort = Ports.freeBlock(1);
            sb = SandboxManager.up(new SandboxSpec(flavor, 2, Ports.freeBlock(3), dir.resolve("sandbox"),
                    SandboxSpec.defaultCacheDir(), Duration.ofMillis(500)), httpPort);
            opened.add(sb);
            final Sandbox made = sb;
            dev.warden.bench.RowWriter.prepare(statements -> root(made, made.primary(), statements));
            if (HaproxyProcess.installed()) {
                hp = HaproxyProcess.start(sb);
                opened.add(hp);
            }
            if (partitions) {
                nf = Netfilter.open(Long.toHexString(plan.seed()) + "-" + ProcessHandle.current().pid());
                opened.add(nf);
                for (SandboxInstance r : sb.replicas()) {
                    nf.place(r.name(), r.pid());
                    // The IO thread's connection was made before the move: a new one is made in the group.
                    replicaCommand(sb, r, Dialect::stopReplicaIoThread, Dialect::startReplicaIoThread);
                }
            }
            if (plan.longHeartbeat()) {
                for (SandboxInstance r : sb.replicas()) {
                    heartbeatPeriod(sb, r, Duration.ofSeconds(30));
                }
            }
            if (plan.kind() == FaultKind.STORE_OUTAGE) {
                st = SandboxManager.up(new SandboxSpec(flavor, 0, Ports.freeBlock(1), dir.resolve("store"),
                        SandboxSpec.defaultCacheDir(), Duration.ofMillis(500)), 0);
                opened.add(st);
                root(st, st.primary(), "CREATE DATABASE warden_store", "CREATE USER 'store'@'%' IDENTIFIED BY "
                        + "'store-pw'", "GRANT ALL ON warden_store.* TO 'store'@'%'");
            }
            if (plan.kind() == FaultKind.STALLED_HOOK) {
                stall = new StallingHttp();
                opened.add(stall);
            }
            this.sandbox = sb;
            this.haproxy = hp;
            this.net = nf;
            this.storeServer = st;
            this.stalling = stall;
            this.store = dir.resolve("sandbox").resolve("chaos.db");
            Path config = dir.resolve("sandbox").resolve("chaos.yaml");
            Files.writeString(config, config(Files.readString(sb.configFile())));
            String token = Files.readString(sb.spec().dir().resolve(
                    dev.warden.sandbox.SandboxConfigWriter.TOKEN_FILE)).trim();
            d = new ChaosDaemon(sb.spec().dir(), config, httpPort, token, nf == null ? null : nf.procs("manager"));
            opened.add(d);
            this.daemon = d;
            writePids();
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    /** The sandbox's configuration with the round's store, HAProxy, hooks and heartbeat policy. */
    private String config(String yaml) throws IOException {
        String y = yaml.replaceAll("path: warden\\.db[^\\n]*", "path: chaos.db");
        if (!plan.enforce()) {
            y = y.replace("replication:\n", "replication:\n  enforce_heartbeat_period: false\n");
        }
        if (storeServer != null) {
            y = y.replaceAll("store:\\n  path: [^\\n]*\\n", "store:\n  mysql:\n    url: jdbc:mysql://127.0.0.1:"
                    + storeServer.primary().port() + "/warden_store?allowPublicKeyRetrieval=true\n    user: store\n"
                    + "    password: store-pw\n");
        }
        StringBuilder extra = new StringBuilder();
        if (haproxy != null) {
            extra.append(haproxy.yaml(Duration.ofSeconds(5)));
        }
        List<String> hooks = new ArrayList<>();
        // Every round has a fence hook, as a production setup that fails over hung or isolated primaries must: a
        // primary that cannot be reached is powered off (kill -9 of its process) before another one is promoted.
        {
            Path stonith = dir.resolve("stonith.sh");
            Files.writeString(stonith, "#!/bin/sh\n# STONITH for the sandbox: the power switch of the old primary's "
                    + "host.\nport=${WARDEN_OLD_PRIMARY##*:}\npid=$(awk -v p=\"$port\" '$1 == p { print $2 }' "
                    + dir.resolve("pids.txt") + ")\n[ -n \"$pid\" ] && kill -9 \"$pid\"\n");
            stonith.toFile().setExecutable(true);
            hooks.add("  - {name: stonith, type: command, events: [fence_old_primary], timeout: 2s, retries: 0, "
                    + "command: [" + stonith + "]}\n");
        }
        if (stalling != null) {
            hooks.add("  - {name: stalls, type: http, url: '" + stalling.url() + "', events: [post_failover], "
                    + "timeout: 1s, retries: 1, backoff: 100ms}\n");
        }
        if (!hooks.isEmpty()) {
            extra.append("hooks:\n");
            hooks.forEach(extra::append);
        }
        return y + extra;
    }

    /** "port pid" per server, for the STONITH hook (kept current when a server is started again). */
    void writePids() throws IOException {
        StringBuilder b = new StringBuilder();
        for (SandboxInstance i : sandbox.instances()) {
            b.append(i.port()).append(' ').append(i.pid()).append('\n');
        }
        Files.writeString(dir.resolve("pids.txt"), b.toString());
    }

    SandboxInstance restart(SandboxInstance i) throws IOException {
        SandboxInstance back = sandbox.restart(i);
        writePids();
        if (net != null && !back.initialPrimary()) {
            net.place(back.name(), back.pid());
        }
        return back;
    }

    static void root(Sandbox sb, SandboxInstance i, String... statements) {
        try (Connection c = sb.root(i); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("on " + i.name() + ": " + e.getMessage(), e);
        }
    }

    static String value(Sandbox sb, SandboxInstance i, String query) {
        try (Connection c = sb.root(i); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException("on " + i.name() + ": " + e.getMessage(), e);
        }
    }

    /** Replication statements in the server's own dialect, in order. */
    @SafeVarargs
    static void replicaCommand(Sandbox sb, SandboxInstance i,
                               java.util.function.Function<Dialect, dev.warden.dialect.Sql>... statements) {
        try (Connection c = sb.root(i)) {
            Dialect d = Jdbc.dialect(c, Deadline.after(Duration.ofSeconds(10)));
            for (var s : statements) {
                Jdbc.execute(c, s.apply(d), Deadline.after(Duration.ofSeconds(10)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("on " + i.name() + ": " + e.getMessage(), e);
        }
    }

    /** A DBA's own heartbeat period on a replica (the threads the server needs stopped for it are restarted). */
    static void heartbeatPeriod(Sandbox sb, SandboxInstance r, Duration period) {
        try (Connection c = sb.root(r)) {
            Deadline dl = Deadline.after(Duration.ofSeconds(10));
            Dialect d = Jdbc.dialect(c, dl);
            boolean both = d.heartbeatChangeStopsSqlThread();
            Jdbc.execute(c, both ? d.stopReplica("") : d.stopReplicaIoThread(""), dl);
            Jdbc.execute(c, d.changeHeartbeatPeriod("", period), dl);
            Jdbc.execute(c, both ? d.startReplica("") : d.startReplicaIoThread(""), dl);
        } catch (SQLException e) {
            throw new IllegalStateException("on " + r.name() + ": " + e.getMessage(), e);
        }
    }

    boolean mysql() {
        return sandbox.flavor().flavor() == dev.warden.model.Flavor.MYSQL;
    }

    String describe() {
        return String.format(Locale.ROOT, "%s %s in %s", sandbox.flavor(), sandbox.version(), dir);
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(onExit);
        } catch (IllegalStateException e) {
            // the JVM is stopping: the hook does it
        }
        release();
    }

    private synchronized void release() {
        for (int n = opened.size() - 1; n >= 0; n--) {
            try {
                AutoCloseable c = opened.get(n);
                if (c instanceof Sandbox s) {
                    for (SandboxInstance i : s.instances()) {
                        if (s.isRunning(i)) {
                            s.thaw(i);
                        }
                    }
                }
                c.close();
            } catch (Exception e) {
                // best effort: the next resource must be released all the same
            }
        }
        opened.clear();
    }
}
