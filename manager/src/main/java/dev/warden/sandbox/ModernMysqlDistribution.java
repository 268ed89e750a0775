package dev.warden.sandbox;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MySQL 9.x from Debian sid's {@code mysql-server-core} in a root filesystem made once in the cache directory (its
 * binaries need a newer glibc than Debian 12's). Only {@code caching_sha2_password} exists there.
 */
final class ModernMysqlDistribution implements ServerDistribution {

    private final Path cacheDir;
    private final DebianRootfs rootfs;
    private String version;

    ModernMysqlDistribution(Path cacheDir) {
        this.cacheDir = cacheDir;
        this.rootfs = new DebianRootfs(cacheDir, "mysql9-sid", "sid", List.of("mysql-server-core"));
    }

    @Override
    public SandboxFlavor flavor() {
        return SandboxFlavor.MYSQL9;
    }

    @Override
    public void prepare() {
        if (version != null) {
            return;
        }
        rootfs.ensure(cacheDir);
        Processes.Result r = Processes.run(rootfs.command("/usr/sbin/mysqld", List.of("--version")), null,
                Duration.ofSeconds(30));
        Matcher m = Pattern.compile("Ver (\\d+\\.\\d+\\.\\d+)").matcher(r.output());
        if (r.exitCode() != 0 || !m.find()) {
            throw new SandboxException("mysqld --version in " + rootfs.root() + " failed: " + r.output().trim());
        }
        version = m.group(1);
    }

    @Override
    public String version() {
        prepare();
        return version;
    }

    private List<String> paths() {
        return List.of("--basedir=" + rootfs.path("/usr"), "--lc-messages-dir=" + rootfs.path("/usr/share/mysql"),
                "--character-sets-dir=" + rootfs.path("/usr/share/mysql/charsets"),
                "--plugin-dir=" + rootfs.path("/usr/lib/mysql/plugin"));
    }

    @Override
    public void initialize(Path target, Path workDir) {
        prepare();
        List<String> args = new ArrayList<>(List.of("--no-defaults", "--initialize-insecure", "--user=root"));
        args.addAll(paths());
        args.addAll(List.of("--datadir=" + target, "--innodb-redo-log-capacity=8M", "--innodb-buffer-pool-size=32M",
                "--secure-file-priv=", "--log-error=" + workDir.resolve("initialize.log")));
        Processes.Result r = Processes.run(rootfs.command("/usr/sbin/mysqld", args), workDir, Duration.ofMinutes(3));
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
        o.replaceAll(s -> s.startsWith("log-slave-updates") ? "log-replica-updates = ON" : s);
        for (String p : paths()) {
            o.add(p.substring(2).replaceFirst("=", " = "));
        }
        o.addAll(List.of(
                "mysqlx = OFF",
                "secure-file-priv = \"\"",
                "super-read-only = ON",
                "gtid-mode = ON",
                "enforce-gtid-consistency = ON",
                "innodb-redo-log-capacity = 8M",
                "performance-schema = ON",
                "performance-schema-max-table-instances = 200",
                "performance-schema-max-table-handles = 200",
                "performance-schema-digests-size = 200",
                "performance-schema-max-digest-length = 256",
                "performance-schema-max-sql-text-length = 256"));
        return o;
    }

    @Override
    public List<String> command(Path configFile) {
        prepare();
        return rootfs.command("/usr/sbin/mysqld", List.of("--defaults-file=" + configFile));
    }

    @Override
    public String grantResource() {
        return "sql/grants/mysql.sql";
    }
}
