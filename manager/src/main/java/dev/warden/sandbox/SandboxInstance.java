package dev.warden.sandbox;

import dev.warden.model.InstanceKey;
import java.nio.file.Path;

/** One running server of a sandbox. {@code name} is s0 for the primary, s1.. for replicas. */
public record SandboxInstance(String name, int port, long serverId, long pid, Path dir, boolean initialPrimary) {

    public InstanceKey key() {
        return new InstanceKey("127.0.0.1", port);
    }

    public Path dataDir() {
        return dir.resolve("data");
    }

    public Path errorLog() {
        return dir.resolve("error.log");
    }

    public Path configFile() {
        return dir.resolve("my.cnf");
    }
}
