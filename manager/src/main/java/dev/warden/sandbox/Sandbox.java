package dev.warden.sandbox;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A running sandbox: its servers, its generated config, and fault injection for tests and demos. */
public final class Sandbox implements AutoCloseable {

    private final SandboxSpec spec;
    private final String version;
    private final List<SandboxInstance> instances;
    private final ServerDistribution distribution;
    private final Path configFile;
    private final Duration startupTime;
    private final Set<String> frozen = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    Sandbox(SandboxSpec spec, String version, List<SandboxInstance> instances, Path configFile, Duration startupTime,
            ServerDistribution distribution) {
        this.spec = spec;
        this.version = version;
        this.instances = new java.util.concurrent.CopyOnWriteArrayList<>(instances);
        this.distribution = distribution;
        this.configFile = configFile;
        this.startupTime = startupTime;
    }

    public SandboxSpec spec() {
        return spec;
    }

    public SandboxFlavor flavor() {
        return spec.flavor();
    }

    /** Server version, such as 8.0.15. */
    public String version() {
        return version;
    }

    public List<SandboxInstance> instances() {
        return List.copyOf(instances);
    }

    /** The server that was the primary when the sandbox started (s0). */
    public SandboxInstance primary() {
        return instances.get(0);
    }

    /** The servers that were replicas when the sandbox started. */
    public List<SandboxInstance> replicas() {
        return List.copyOf(instances.subList(1, instances.size()));
    }

    public SandboxInstance instance(String name) {
        return instances.stream().filter(i -> i.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no server " + name + " in this sandbox"));
    }

    /** The generated warden.yaml. */
    public Path configFile() {
        return configFile;
    }

    public Duration startupTime() {
        return startupTime;
    }

    /** A root connection (no password) for test setup and fault injection. */
    public Connection root(SandboxInstance i) throws SQLException {
        return ServerProcess.root(i.port(), Duration.ofSeconds(30));
    }

    /** kill -9: the server dies at once, its port refuses connections. */
    public void kill(SandboxInstance i) {
        SandboxInstance cur = requireOurs(i);
        SandboxManager.stop(cur.pid(), SandboxManager.StopMode.IMMEDIATE);
        frozen.remove(i.name());
    }

    /** SIGSTOP: the process hangs with its port open; connections are accepted by the kernel but never answered. */
    public void freeze(SandboxInstance i) {
        SandboxInstance cur = requireOurs(i);
        Processes.signal(cur.pid(), "STOP");
        frozen.add(i.name());
    }

    /** SIGCONT after {@link #freeze}. */
    public void thaw(SandboxInstance i) {
        if (frozen.remove(i.name())) {
            Processes.signal(instance(i.name()).pid(), "CONT");
        }
    }

    /**
     * Starts a stopped (killed) server again with its own my.cnf and datadir, as a DBA would after a crash; it
     * comes up read-only (every sandbox server's my.cnf says so). Returns it with its new PID.
     */
    public SandboxInstance restart(SandboxInstance i) {
        SandboxInstance current = instance(i.name());
        if (Processes.isOurs(current.pid(), current.dir().toString())) {
            throw new SandboxException("server " + i.name() + " (PID " + current.pid() + ") is still running");
        }
        InstanceLayout l = SandboxManager.layout(spec, i.name());
        long pid = ServerProcess.start(distribution, l);
        SandboxInstance restarted = new SandboxInstance(i.name(), i.port(), i.serverId(), pid, i.dir(),
                i.initialPrimary());
        instances.replaceAll(x -> x.name().equals(i.name()) ? restarted : x);
        SandboxState.read(spec.dir()).withInstance(new SandboxState.Instance(i.name(), i.port(), i.serverId(), pid,
                i.dir().toString(), i.initialPrimary())).write(spec.dir());
        ServerProcess.awaitReady(l, pid, ServerProcess.READY_TIMEOUT);
        return restarted;
    }

    public boolean isRunning(SandboxInstance i) {
        SandboxInstance cur = instance(i.name());
        return Processes.isOurs(cur.pid(), cur.dir().toString());
    }

    private SandboxInstance requireOurs(SandboxInstance i) {
        SandboxInstance cur = instance(i.name());
        if (!Processes.isOurs(cur.pid(), cur.dir().toString())) {
            throw new SandboxException("server " + i.name() + " (PID " + cur.pid() + ") is not running");
        }
        return cur;
    }

    /** Stops every server (SIGKILL) and removes the sandbox's files. Safe to call twice. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        SandboxManager.down(spec.dir(), SandboxManager.StopMode.IMMEDIATE);
    }
}
