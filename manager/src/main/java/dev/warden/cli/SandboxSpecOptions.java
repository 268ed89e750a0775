package dev.warden.cli;

import dev.warden.sandbox.SandboxFlavor;
import dev.warden.sandbox.SandboxSpec;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** What servers to start: shared by {@code sandbox up} and {@code demo}. */
final class SandboxSpecOptions {

    @Option(names = "--flavor", defaultValue = "mysql8", paramLabel = "F",
            description = "mysql8 (MySQL 8.0.15 from Maven Central), mariadb (the system's MariaDB, 10.11 on "
                    + "Debian 12), mysql9 (MySQL 9.x from Debian sid) or mariadb11 (MariaDB 11.8 from Debian trixie); "
                    + "the last two run in a root filesystem made with debootstrap (scripts/install-prerequisites "
                    + "all). Default: ${DEFAULT-VALUE}.")
    String flavor;

    @Option(names = "--replicas", defaultValue = "2", paramLabel = "N", description = "Default: ${DEFAULT-VALUE}.")
    int replicas;

    @Option(names = "--base-port", defaultValue = "23306", paramLabel = "P",
            description = "Primary's port; replicas use the next ones. Default: ${DEFAULT-VALUE}.")
    int basePort;

    @Option(names = "--http-port", defaultValue = "8080", paramLabel = "PORT",
            description = "Console port (written to warden.yaml). Default: ${DEFAULT-VALUE}.")
    int httpPort;

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "Where downloads and template datadirs are kept (default: $WARDEN_CACHE_DIR or "
                    + "~/.cache/warden).")
    Path cacheDir;

    SandboxSpec spec(Path dir) {
        return new SandboxSpec(SandboxFlavor.parse(flavor), replicas, basePort, dir,
                cacheDir == null ? SandboxSpec.defaultCacheDir() : cacheDir, Duration.ofMillis(500));
    }
}
