package dev.warden.sandbox;

import dev.warden.dialect.ChangeSourceSpec;
import dev.warden.dialect.Dialect;
import dev.warden.model.ReadOnlyState;
import dev.warden.model.ReplicaStatus;
import dev.warden.probe.Deadline;
import dev.warden.probe.Jdbc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and stops sandboxes of real servers: {@code up} (primary on the base port, replicas after it, GTID
 * auto-position replication, accounts from the grant files, read-only replicas, warden.yaml), {@code down}
 * (by PID, also after a crash of the JVM that started them) and {@code status}.
 */
public final class SandboxManager {

    private static final Logger log = LoggerFactory.getLogger(SandboxManager.class);
    static final String SERVERS_DIR = "servers";
    /** Unix socket paths are limited to 108 bytes. */
    private static final int MAX_SOCKET_PATH = 100;

    private SandboxManager() {
    }

    public enum StopMode {
        /** SIGTERM, then SIGKILL after a grace period: servers shut down cleanly. */
        GRACEFUL,
        /** SIGKILL at once: the datadirs are thrown away anyway. */
        IMMEDIATE
    }

    static ServerDistribution distribution(SandboxFlavor flavor, Path cacheDir) {
        return switch (flavor) {
            case MYSQL8 -> new MysqlDistribution(cacheDir);
            case MARIADB -> new MariaDbDistribution();
            case MYSQL9 -> new ModernMysqlDistribution(cacheDir);
            case MARIADB11 -> new ModernMariaDbDistribution(cacheDir);
        };
    }

    /** Starts a sandbox; on any failure stops what it started and throws. */
    public static Sandbox up(SandboxSpec spec, int httpPort) {
        long t0 = System.nanoTime();
        try {
            Files.createDirectories(spec.dir());
        } catch (IOException e) {
            throw new SandboxException("cannot create " + spec.dir() + ": " + e.getMessage(), e);
        }
        clearLeftovers(spec.dir());
        int busy = Ports.firstBusy(spec.basePort(), spec.replicas() + 1);
        if (busy > 0) {
            throw new SandboxException("port " + busy + " on 127.0.0.1 is already in use; the sandbox needs ports "
                    + spec.basePort() + ".." + (spec.basePort() + spec.replicas())
                    + ": choose another --base-port or stop what listens on " + busy);
        }
        ServerDistribution dist = distribution(spec.flavor(), spec.cacheDir());
        dist.prepare();
        Path template = TemplateCache.template(dist, spec.cacheDir());

        SandboxState state = new SandboxState(1, spec.flavor().cliName(), dist.version(), spec.basePort(),
                ProcessHandle.current().pid(), Instant.now().toString(), List.of());
        state.write(spec.dir());
        List<InstanceLayout> layouts = layouts(spec);
        try {
            for (InstanceLayout l : layouts) {
                prepareFiles(dist, template, l);
            }
            List<Long> pids = new ArrayList<>();
            for (InstanceLayout l : layouts) {
                long pid = ServerProcess.start(dist, l);
                pids.add(pid);
                state = state.withInstance(new SandboxState.Instance(l.name(), l.port(), l.serverId(), pid,
                        l.dir().toString(), l.primary()));
                state.write(spec.dir());
            }
            for (int i = 0; i < layouts.size(); i++) {
                ServerProcess.awaitReady(layouts.get(i), pids.get(i), ServerProcess.READY_TIMEOUT);
            }
            for (InstanceLayout l : layouts) {
                createAccounts(dist, l);
            }
            InstanceLayout primary = layouts.get(0);
            for (InstanceLayout l : layouts.subList(1, layouts.size())) {
                startReplication(spec, l, primary);
            }
            for (InstanceLayout l : layouts.subList(1, layouts.size())) {
                awaitReplicating(l, Duration.ofSeconds(60));
            }
            List<SandboxInstance> instances = state.instances().stream().map(SandboxState.Instance::toInstance)
                    .toList();
            Path config = SandboxConfigWriter.write(spec, instances, httpPort);
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            log.info("Sandbox {} up in {} ms: {} servers of {} {} on ports {}..{}.", spec.dir(), took.toMillis(),
                    layouts.size(), spec.flavor(), dist.version(), spec.basePort(), spec.basePort() + spec.replicas());
            return new Sandbox(spec, dist.version(), instances, config, took, dist);
        } catch (RuntimeException e) {
            try {
                down(spec.dir(), StopMode.IMMEDIATE);
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private static List<InstanceLayout> layouts(SandboxSpec spec) {
        List<InstanceLayout> out = new ArrayList<>();
        for (int i = 0; i <= spec.replicas(); i++) {
            out.add(layout(spec, i));
        }
        return out;
    }

    static InstanceLayout layout(SandboxSpec spec, String name) {
        return layout(spec, Integer.parseInt(name.substring(1)));
    }

    private static InstanceLayout layout(SandboxSpec spec, int i) {
        Path dir = spec.dir().resolve(SERVERS_DIR).resolve("s" + i);
        int port = spec.basePort() + i;
        Path socket = dir.resolve("mysqld.sock");
        if (socket.toString().length() > MAX_SOCKET_PATH) {
            socket = Path.of("/tmp", "warden-" + port + "-" + Integer.toHexString(dir.toString().hashCode()) + ".sock");
        }
        return new InstanceLayout("s" + i, dir, port, 1000L + i, i == 0, socket);
    }

    private static void prepareFiles(ServerDistribution dist, Path template, InstanceLayout l) {
        FileTrees.deleteRecursively(l.dir());
        try {
            Files.createDirectories(l.dir());
            TemplateCache.copyInto(dist, template, l.dataDir());
            StringBuilder cnf = new StringBuilder("# Written by warden sandbox for server ").append(l.name())
                    .append(".\n[mysqld]\n");
            for (String option : dist.serverOptions(l)) {
                cnf.append(option).append('\n');
            }
            Files.writeString(l.configFile(), cnf.toString());
        } catch (IOException e) {
            throw new SandboxException("cannot prepare " + l.dir() + ": " + e.getMessage(), e);
        }
    }

    /** Accounts and the heartbeat table, created locally on each server (not replicated: sql_log_bin=0). */
    private static void createAccounts(ServerDistribution dist, InstanceLayout l) {
        String grants = SqlScripts.fill(SqlScripts.load(dist.grantResource()), Map.of(
                "WARDEN_USER", SandboxCredentials.WARDEN_USER, "WARDEN_PASSWORD", SandboxCredentials.WARDEN_PASSWORD,
                "WARDEN_HOST", "%", "REPL_USER", SandboxCredentials.REPL_USER,
                "REPL_PASSWORD", SandboxCredentials.REPL_PASSWORD, "REPL_HOST", "%"));
        String heartbeat = SqlScripts.load("sql/heartbeat.sql");
        try (Connection c = ServerProcess.root(l.port(), Duration.ofSeconds(30)); Statement st = c.createStatement()) {
            Dialect d = dialect(c);
            for (var sql : d.setReadOnly(ReadOnlyState.WRITABLE)) {
                st.execute(sql.text());
            }
            st.execute("SET SESSION sql_log_bin = 0");
            for (String sql : SqlScripts.statements(heartbeat)) {
                st.execute(sql);
            }
            for (String sql : SqlScripts.statements(grants)) {
                st.execute(sql);
            }
            st.execute("SET SESSION sql_log_bin = 1");
            if (!l.primary()) {
                for (var sql : d.setReadOnly(ReadOnlyState.SUPER_READ_ONLY)) {
                    st.execute(sql.text());
                }
            }
        } catch (SQLException e) {
            throw new SandboxException("cannot create the accounts on " + l.name() + " (port " + l.port() + "): "
                    + e.getMessage(), e);
        }
    }

    private static void startReplication(SandboxSpec spec, InstanceLayout replica, InstanceLayout primary) {
        try (Connection c = ServerProcess.root(replica.port(), Duration.ofSeconds(30))) {
            Dialect d = dialect(c);
            Deadline deadline = Deadline.after(Duration.ofSeconds(30));
            Jdbc.execute(c, d.changeSource(new ChangeSourceSpec(
                    new dev.warden.model.InstanceKey("127.0.0.1", primary.port()), SandboxCredentials.REPL_USER,
                    SandboxCredentials.REPL_PASSWORD, spec.heartbeatPeriod(), 1, 86400)), deadline);
            Jdbc.execute(c, d.startReplica(), deadline);
            for (var sql : d.setReadOnly(ReadOnlyState.SUPER_READ_ONLY)) {
                Jdbc.execute(c, sql, deadline);
            }
        } catch (SQLException e) {
            throw new SandboxException("cannot start replication on " + replica.name() + " (port " + replica.port()
                    + "): " + e.getMessage(), e);
        }
    }

    static Dialect dialect(Connection c) throws SQLException {
        return Jdbc.dialect(c, Deadline.after(Duration.ofSeconds(30)));
    }

    private static void awaitReplicating(InstanceLayout l, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        String last = "no replica status yet";
        while (System.nanoTime() < end) {
            try (Connection c = ServerProcess.root(l.port(), Duration.ofSeconds(10))) {
                Dialect d = dialect(c);
                List<ReplicaStatus> status = Jdbc.replicaStatus(c, d, Deadline.after(Duration.ofSeconds(10)));
                if (!status.isEmpty() && status.get(0).bothThreadsRunning()) {
                    return;
                }
                if (!status.isEmpty()) {
                    ReplicaStatus r = status.get(0);
                    last = "IO thread " + r.ioThread().display() + (r.ioError() == null ? "" : " (" + r.ioError() + ")")
                            + ", SQL thread " + r.sqlThread().display()
                            + (r.sqlError() == null ? "" : " (" + r.sqlError() + ")");
                }
            } catch (SQLException e) {
                last = e.getMessage();
            }
            ServerProcess.sleep(50);
        }
        throw new SandboxException("replication on " + l.name() + " (port " + l.port() + ") did not start within "
                + timeout.toSeconds() + " s: " + last);
    }

    /** A previous sandbox in this directory: refuse if its servers still run, clean up if they are gone. */
    private static void clearLeftovers(Path dir) {
        if (!SandboxState.exists(dir)) {
            FileTrees.deleteRecursively(dir.resolve(SERVERS_DIR));
            return;
        }
        SandboxState old = SandboxState.read(dir);
        List<String> running = new ArrayList<>();
        for (SandboxState.Instance i : old.instances()) {
            if (Processes.isOurs(i.pid(), i.dir())) {
                running.add(i.name() + " (port " + i.port() + ", PID " + i.pid() + ")");
            }
        }
        if (!running.isEmpty()) {
            throw new SandboxException("a sandbox is already running in " + dir + ": " + String.join(", ", running)
                    + "; stop it with 'warden sandbox down --dir " + dir + "' or use another --dir");
        }
        log.info("Removing leftovers of a sandbox in {} whose servers no longer run.", dir);
        removeFiles(dir);
    }

    /** Stops every server of the sandbox in {@code dir} (by PID, checked to be ours) and removes its files. */
    public static List<String> down(Path dir, StopMode mode) {
        Path d = dir.toAbsolutePath().normalize();
        if (!SandboxState.exists(d)) {
            throw new SandboxException("no sandbox in " + d + " (no " + SandboxState.FILE + "); nothing to stop");
        }
        SandboxState state = SandboxState.read(d);
        List<String> stopped = new ArrayList<>();
        for (SandboxState.Instance i : state.instances()) {
            if (Processes.isOurs(i.pid(), i.dir())) {
                stop(i.pid(), mode);
                stopped.add(i.name() + " (port " + i.port() + ", PID " + i.pid() + ")");
            }
        }
        removeFiles(d);
        return stopped;
    }

    static void stop(long pid, StopMode mode) {
        if (mode == StopMode.GRACEFUL) {
            Processes.signal(pid, "CONT");
            Processes.signal(pid, "TERM");
            if (Processes.awaitExit(pid, Duration.ofSeconds(20))) {
                return;
            }
        }
        Processes.signal(pid, "KILL");
        if (!Processes.awaitExit(pid, Duration.ofSeconds(20))) {
            throw new SandboxException("PID " + pid + " did not exit after SIGKILL");
        }
    }

    private static void removeFiles(Path dir) {
        FileTrees.deleteRecursively(dir.resolve(SERVERS_DIR));
        try {
            Files.deleteIfExists(dir.resolve(SandboxConfigWriter.FILE));
            Files.deleteIfExists(dir.resolve(SandboxState.FILE));
            // The store of the generated config: its history names this sandbox's ports, which the next one reuses.
            for (String suffix : new String[] {"", "-wal", "-shm", "-journal", ".lock"}) {
                Files.deleteIfExists(dir.resolve(SandboxConfigWriter.STORE + suffix));
            }
            Files.deleteIfExists(dir.resolve(SandboxConfigWriter.PASSWORD_FILE));
            Files.deleteIfExists(dir.resolve(SandboxConfigWriter.TOKEN_FILE));
            try (var s = Files.list(dir)) {
                if (s.findAny().isEmpty()) {
                    Files.delete(dir);
                }
            }
        } catch (IOException e) {
            throw new SandboxException("cannot clean " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Each server of the sandbox in {@code dir}: whether its process runs and its port answers. */
    public static List<InstanceStatus> status(Path dir) {
        Path d = dir.toAbsolutePath().normalize();
        if (!SandboxState.exists(d)) {
            throw new SandboxException("no sandbox in " + d + " (no " + SandboxState.FILE + ")");
        }
        SandboxState state = SandboxState.read(d);
        List<InstanceStatus> out = new ArrayList<>();
        for (SandboxState.Instance i : state.instances()) {
            boolean running = Processes.isOurs(i.pid(), i.dir());
            boolean answers = running && !Ports.isFree(i.port());
            out.add(new InstanceStatus(i.toInstance(), state.flavor(), state.version(), running, answers));
        }
        return out;
    }

    public record InstanceStatus(SandboxInstance instance, String flavor, String version, boolean running,
                                 boolean listening) {
    }
}
