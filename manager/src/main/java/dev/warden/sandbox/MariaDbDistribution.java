package dev.warden.sandbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The system's MariaDB (Debian package mariadb-server-core); never the system service or port 3306. */
final class MariaDbDistribution implements ServerDistribution {

    private static final String PACKAGES = "mariadb-server-core mariadb-client-core";
    private Path mariadbd;
    private Path installDb;
    private String version;

    @Override
    public SandboxFlavor flavor() {
        return SandboxFlavor.MARIADB;
    }

    @Override
    public void prepare() {
        if (mariadbd != null) {
            return;
        }
        Path server = find("mariadbd", "/usr/sbin/mariadbd");
        Path install = find("mariadb-install-db", "/usr/bin/mariadb-install-db");
        if (server == null || install == null) {
            throw new SandboxException((server == null ? "mariadbd" : "mariadb-install-db")
                    + " is not installed: install the Debian packages " + PACKAGES + " (apt-get install " + PACKAGES
                    + "); Warden runs its own instances and never uses the system service");
        }
        if (find("my_print_defaults", "/usr/bin/my_print_defaults") == null) {
            throw new SandboxException("my_print_defaults (needed by mariadb-install-db) is not installed: "
                    + "install the Debian package mariadb-client-core (apt-get install mariadb-client-core)");
        }
        version = Processes.serverVersion(List.of(server.toString(), "--version"), server.toString());
        mariadbd = server;
        installDb = install;
    }

    private static Path find(String name, String usual) {
        Path p = Path.of(usual);
        if (Files.isExecutable(p)) {
            return p;
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(":")) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }

    @Override
    public String version() {
        prepare();
        return version;
    }

    @Override
    public void initialize(Path target, Path workDir) {
        prepare();
        List<String> cmd = List.of(installDb.toString(), "--no-defaults", "--datadir=" + target, "--user=root",
                "--auth-root-authentication-method=normal", "--skip-test-db", "--innodb-log-file-size=8M");
        Processes.Result r = Processes.run(cmd, workDir, Duration.ofMinutes(3));
        if (r.exitCode() != 0) {
            throw new SandboxException("mariadb-install-db failed (exit " + r.exitCode() + "):\n" + r.output().trim());
        }
    }

    @Override
    public List<String> perCopyFiles() {
        return List.of();
    }

    @Override
    public List<String> serverOptions(InstanceLayout l) {
        return SandboxOptions.mariadb(l);
    }

    @Override
    public List<String> command(Path configFile) {
        prepare();
        return List.of(mariadbd.toString(), "--defaults-file=" + configFile);
    }

    @Override
    public String grantResource() {
        return "sql/grants/mariadb.sql";
    }
}
