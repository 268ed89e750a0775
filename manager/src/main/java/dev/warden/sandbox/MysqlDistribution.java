package dev.warden.sandbox;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** MySQL 8.0.15 from the Maven Central tarball, unpacked into the cache directory. */
final class MysqlDistribution implements ServerDistribution {

    private final Path cacheDir;
    private Path basedir;

    MysqlDistribution(Path cacheDir) {
        this.cacheDir = cacheDir;
    }

    @Override
    public SandboxFlavor flavor() {
        return SandboxFlavor.MYSQL8;
    }

    @Override
    public void prepare() {
        if (basedir != null) {
            return;
        }
        Path dir = MysqlArtifact.unpacked(cacheDir);
        SharedLibraries.requireAll(dir.resolve("bin/mysqld"), "MySQL 8.0.15 (mysqld)");
        basedir = dir;
    }

    @Override
    public String version() {
        return "8.0.15";
    }

    private Path mysqld() {
        prepare();
        return basedir.resolve("bin/mysqld");
    }

    @Override
    public void initialize(Path target, Path workDir) {
        List<String> cmd = List.of(mysqld().toString(), "--no-defaults", "--initialize-insecure", "--user=root",
                "--basedir=" + basedir, "--datadir=" + target, "--innodb-log-file-size=8M",
                "--innodb-buffer-pool-size=32M", "--log-error=" + workDir.resolve("initialize.log"));
        initializeInsecure(cmd, workDir);
    }

    /** Runs a {@code mysqld --initialize-insecure} command line that logs to {@code workDir/initialize.log}. */
    static void initializeInsecure(List<String> cmd, Path workDir) {
        Processes.Result r = Processes.run(cmd, workDir, Duration.ofMinutes(3));
        if (r.exitCode() != 0) {
            throw new SandboxException("mysqld --initialize-insecure failed (exit " + r.exitCode() + "):\n"
                    + r.output().trim() + "\n" + Processes.tail(workDir.resolve("initialize.log"), 20));
        }
    }

    @Override
    public List<String> perCopyFiles() {
        return List.of("auto.cnf");
    }

    @Override
    public List<String> serverOptions(InstanceLayout l) {
        prepare();
        List<String> o = SandboxOptions.mysql(l, false);
        o.addAll(List.of("basedir = " + basedir, "innodb-log-file-size = 8M"));
        return o;
    }

    @Override
    public List<String> command(Path configFile) {
        return List.of(mysqld().toString(), "--defaults-file=" + configFile);
    }

    @Override
    public String grantResource() {
        return "sql/grants/mysql.sql";
    }
}
