package dev.warden.sandbox;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What to start: flavor, number of replicas, ports {@code basePort..basePort+replicas}, where to put it, and
 * where shared downloads and template datadirs are cached.
 */
public record SandboxSpec(SandboxFlavor flavor, int replicas, int basePort, Path dir, Path cacheDir,
                          Duration heartbeatPeriod) {

    public static final int DEFAULT_BASE_PORT = 23306;
    public static final int DEFAULT_REPLICAS = 2;

    public SandboxSpec {
        Objects.requireNonNull(flavor, "flavor");
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(cacheDir, "cacheDir");
        Objects.requireNonNull(heartbeatPeriod, "heartbeatPeriod");
        if (replicas < 0 || replicas > 64) {
            throw new IllegalArgumentException("--replicas must be between 0 and 64, not " + replicas);
        }
        if (basePort < 1024 || basePort + replicas > 65535) {
            throw new IllegalArgumentException("--base-port must leave room for " + (replicas + 1)
                    + " ports between 1024 and 65535, not " + basePort);
        }
        dir = dir.toAbsolutePath().normalize();
        cacheDir = cacheDir.toAbsolutePath().normalize();
    }

    public static SandboxSpec defaults(SandboxFlavor flavor, Path dir) {
        return new SandboxSpec(flavor, DEFAULT_REPLICAS, DEFAULT_BASE_PORT, dir, defaultCacheDir(),
                Duration.ofMillis(500));
    }

    /** $WARDEN_CACHE_DIR, else $XDG_CACHE_HOME/warden, else ~/.cache/warden. */
    public static Path defaultCacheDir() {
        String explicit = System.getenv("WARDEN_CACHE_DIR");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "warden");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "warden");
    }

    public SandboxSpec withBasePort(int port) {
        return new SandboxSpec(flavor, replicas, port, dir, cacheDir, heartbeatPeriod);
    }
}
