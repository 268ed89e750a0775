package dev.warden.sandbox;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
        version = Processes.serverVersion(rootfs.command("/usr/sbin/mysqld", List.of("--version")),
                "mysqld in " + rootfs.root());
    }

    @Override
    public String version() {
        prepare();
        return version;
    }

    /** Where the binary finds its files: everything under the root filesystem, nothing under the host's /usr. */
    private Map<String, Path> paths() {
        Map<String, Path> p = new LinkedHashMap<>();
        p.put("basedir", rootfs.path("/usr"));
        p.put("lc-messages-dir", rootfs.path("/usr/share/mysql"));
        p.put("character-sets-dir", rootfs.path("/usr/share/mysql/charsets"));
        p.put("plugin-dir", rootfs.path("/usr/lib/mysql/plugin"));
        return p;
    }

    @Override
    public void initialize(Path target, Path workDir) {
        prepare();
        List<String> args = new ArrayList<>(List.of("--no-defaults", "--initialize-insecure", "--user=root"));
        paths().forEach((name, path) -> args.add("--" + name + "=" + path));
        args.addAll(List.of("--datadir=" + target, "--innodb-redo-log-capacity=8M", "--innodb-buffer-pool-size=32M",
                "--secure-file-priv=", "--log-error=" + workDir.resolve("initialize.log")));
        MysqlDistribution.initializeInsecure(rootfs.command("/usr/sbin/mysqld", args), workDir);
    }

    @Override
    public List<String> perCopyFiles() {
        return List.of("auto.cnf");
    }

    @Override
    public List<String> serverOptions(InstanceLayout l) {
        prepare();
        List<String> o = SandboxOptions.mysql(l, true);
        paths().forEach((name, path) -> o.add(name + " = " + path));
        o.addAll(List.of("secure-file-priv = \"\"", "innodb-redo-log-capacity = 8M"));
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
