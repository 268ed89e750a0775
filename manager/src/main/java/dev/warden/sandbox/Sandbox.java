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
    private final Path configFile;
    private final Duration startupTime;
    private final Set<String> frozen = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    Sandbox(SandboxSpec spec, String version, List<SandboxInstance> instances, Path configFile, Duration startupTime) {
        this.spec = spec;
        this.version = version;
        this.instances = List.copyOf(instances);
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
        return instances;
    }

    public SandboxInstance primary() {
        return instances.get(0);
    }

    public List<SandboxInstance> replicas() {
        return instances.subList(1, instances.size());
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
        requireOurs(i);
        SandboxManager.stop(i.pid(), SandboxManager.StopMode.IMMEDIATE);
        frozen.remove(i.name());
    }

    /** SIGSTOP: the process hangs with its port open; connections are accepted by the kernel but never answered. */
    public void freeze(SandboxInstance i) {
        requireOurs(i);
        Processes.signal(i.pid(), "STOP");
        frozen.add(i.name());
    }

    /** SIGCONT after {@link #freeze}. */
    public void thaw(SandboxInstance i) {
        if (frozen.remove(i.name())) {
            Processes.signal(i.pid(), "CONT");
        }
    }

    public boolean isRunning(SandboxInstance i) {
        return Processes.isOurs(i.pid(), i.dir().toString());
    }

    private void requireOurs(SandboxInstance i) {
        if (!Processes.isOurs(i.pid(), i.dir().toString())) {
            throw new SandboxException("server " + i.name() + " (PID " + i.pid() + ") is not running");
        }
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
