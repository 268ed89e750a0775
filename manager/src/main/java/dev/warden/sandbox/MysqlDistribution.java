package dev.warden.sandbox;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
        List<String> o = new ArrayList<>(SandboxOptions.common(l));
        o.addAll(List.of(
                "basedir = " + basedir,
                "mysqlx = OFF",
                "super-read-only = ON",
                "gtid-mode = ON",
                "enforce-gtid-consistency = ON",
                "innodb-log-file-size = 8M",
                "performance-schema = ON",
                "performance-schema-max-table-instances = 200",
                "performance-schema-max-table-handles = 200",
                "performance-schema-digests-size = 200",
                "performance-schema-max-digest-length = 256",
                "performance-schema-max-sql-text-length = 256",
                "performance-schema-events-statements-history-long-size = 100",
                "performance-schema-events-waits-history-long-size = 100",
                "performance-schema-events-stages-history-long-size = 100",
                "performance-schema-events-transactions-history-long-size = 100"));
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
