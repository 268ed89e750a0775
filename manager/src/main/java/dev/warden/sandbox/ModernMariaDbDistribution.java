package dev.warden.sandbox;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * MariaDB 11.8 from Debian trixie's {@code mariadb-server-core} in a root filesystem made once in the cache
 * directory. Servers run through the root filesystem's loader; only {@code mariadb-install-db} (a shell script
 * calling further binaries) runs in a chroot, into a directory inside the root filesystem, then moves out.
 */
final class ModernMariaDbDistribution implements ServerDistribution {

    private final Path cacheDir;
    private final DebianRootfs rootfs;
    private String version;

    ModernMariaDbDistribution(Path cacheDir) {
        this.cacheDir = cacheDir;
        this.rootfs = new DebianRootfs(cacheDir, "mariadb11-trixie", "trixie",
                List.of("mariadb-server-core", "mariadb-client-core"));
    }

    @Override
    public SandboxFlavor flavor() {
        return SandboxFlavor.MARIADB11;
    }

    @Override
    public void prepare() {
        if (version != null) {
            return;
        }
        rootfs.ensure(cacheDir);
        version = Processes.serverVersion(rootfs.command("/usr/sbin/mariadbd", List.of("--version")),
                "mariadbd in " + rootfs.root());
    }

    @Override
    public String version() {
        prepare();
        return version;
    }

    @Override
    public void initialize(Path target, Path workDir) {
        prepare();
        String inside = "/warden-init/" + target.getFileName() + "-" + ProcessHandle.current().pid();
        Path there = rootfs.path(inside);
        FileTrees.deleteRecursively(there);
        List<String> cmd = List.of("chroot", rootfs.root().toString(), "mariadb-install-db", "--no-defaults",
                "--datadir=" + inside, "--user=root", "--auth-root-authentication-method=normal", "--skip-test-db",
                "--innodb-log-file-size=8M");
        Processes.Result r = Processes.run(cmd, workDir, Duration.ofMinutes(3));
        try {
            if (r.exitCode() != 0) {
                throw new SandboxException("mariadb-install-db (in " + rootfs.root() + ") failed (exit "
                        + r.exitCode() + "):\n" + r.output().trim());
            }
            FileTrees.copy(there, target);
        } catch (IOException e) {
            throw new SandboxException("cannot move the new datadir out of " + there + ": " + e.getMessage(), e);
        } finally {
            FileTrees.deleteRecursively(there);
        }
    }

    @Override
    public List<String> perCopyFiles() {
        return List.of();
    }

    @Override
    public List<String> serverOptions(InstanceLayout l) {
        prepare();
        List<String> o = SandboxOptions.mariadb(l);
        o.addAll(List.of(
                "basedir = " + rootfs.path("/usr"),
                "lc-messages-dir = " + rootfs.path("/usr/share/mariadb"),
                "character-sets-dir = " + rootfs.path("/usr/share/mariadb/charsets"),
                "plugin-dir = " + rootfs.path("/usr/lib/mysql/plugin")));
        return o;
    }

    @Override
    public List<String> command(Path configFile) {
        prepare();
        return rootfs.command("/usr/sbin/mariadbd", List.of("--defaults-file=" + configFile));
    }

    @Override
    public String grantResource() {
        return "sql/grants/mariadb.sql";
    }
}
