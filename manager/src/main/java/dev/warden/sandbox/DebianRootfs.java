package dev.warden.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal Debian root filesystem (debootstrap minbase) of a newer suite holding one server package, made once in
 * the cache directory. Its binaries need that suite's glibc, so they are run through its own dynamic loader with its
 * own libraries ({@link #command}): no chroot, no mounts, and the host's paths (datadirs, config files) stay valid.
 */
final class DebianRootfs {

    static final String MIRROR_ENV = "WARDEN_DEBIAN_MIRROR";
    private static final String DEFAULT_MIRROR = "http://deb.debian.org/debian";
    private static final String READY = ".warden-ready";
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(20);

    private final Path root;
    private final String suite;
    private final List<String> packages;

    DebianRootfs(Path cacheDir, String name, String suite, List<String> packages) {
        this.root = cacheDir.resolve("rootfs-" + name);
        this.suite = suite;
        this.packages = List.copyOf(packages);
    }

    Path root() {
        return root;
    }

    Path path(String inside) {
        return root.resolve(inside.startsWith("/") ? inside.substring(1) : inside);
    }

    /** Builds the root filesystem unless a finished one is there (about a minute; needs root and the mirror). */
    void ensure(Path cacheDir) {
        if (Files.exists(root.resolve(READY))) {
            return;
        }
        CacheLock.withLock(cacheDir, () -> {
            if (!Files.exists(root.resolve(READY))) {
                build();
            }
            return null;
        });
    }

    private void build() {
        Path debootstrap = Path.of("/usr/sbin/debootstrap");
        if (!Files.isExecutable(debootstrap)) {
            throw new SandboxException("debootstrap is not installed: install the Debian package debootstrap "
                    + "(apt-get install debootstrap); it makes the " + suite + " root filesystem the "
                    + String.join(", ", packages) + " binaries run from");
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new SandboxException("making the " + suite + " root filesystem needs root (debootstrap, chroot); "
                    + "run this once as root, later runs reuse " + root);
        }
        String mirror = System.getenv().getOrDefault(MIRROR_ENV, DEFAULT_MIRROR);
        Path tmp = root.resolveSibling(root.getFileName() + ".partial");
        try {
            FileTrees.deleteRecursively(tmp);
            Files.createDirectories(tmp.getParent());
            run(List.of(debootstrap.toString(), "--variant=minbase", suite, tmp.toString(), mirror),
                    "debootstrap " + suite);
            Files.writeString(tmp.resolve("usr/sbin/policy-rc.d"), "#!/bin/sh\nexit 101\n");
            tmp.resolve("usr/sbin/policy-rc.d").toFile().setExecutable(true);
            Files.writeString(tmp.resolve("etc/apt/apt.conf.d/99warden"), """
                    Acquire::Check-Valid-Until "false";
                    APT::Install-Recommends "false";
                    APT::Install-Suggests "false";
                    """);
            if (Files.isRegularFile(Path.of("/etc/hosts"))) {
                Files.copy(Path.of("/etc/hosts"), tmp.resolve("etc/hosts"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            run(List.of("chroot", tmp.toString(), "apt-get", "update", "-qq"), "apt-get update in " + suite);
            List<String> install = new ArrayList<>(List.of("chroot", tmp.toString(), "env",
                    "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-qq"));
            install.addAll(packages);
            run(install, "apt-get install " + String.join(" ", packages) + " in " + suite);
            run(List.of("chroot", tmp.toString(), "apt-get", "clean"), "apt-get clean in " + suite);
            Files.writeString(tmp.resolve(READY), suite + " " + String.join(" ", packages) + "\n");
            FileTrees.deleteRecursively(root);
            Files.move(tmp, root);
        } catch (IOException e) {
            throw new SandboxException("cannot make the " + suite + " root filesystem in " + tmp + ": "
                    + e.getMessage(), e);
        }
    }

    private static void run(List<String> cmd, String what) {
        Processes.Result r = Processes.run(cmd, null, BUILD_TIMEOUT);
        if (r.exitCode() != 0) {
            String out = r.output().trim();
            throw new SandboxException(what + " failed (exit " + r.exitCode() + "):\n"
                    + out.substring(Math.max(0, out.length() - 3000)));
        }
    }

    /** A command line running {@code binary} (a path inside the root filesystem) with its loader and libraries. */
    List<String> command(String binary, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(path("/lib64/ld-linux-x86-64.so.2").toString());
        cmd.add("--library-path");
        cmd.add(path("/lib/x86_64-linux-gnu") + ":" + path("/usr/lib/x86_64-linux-gnu"));
        cmd.add(path(binary).toString());
        cmd.addAll(args);
        return cmd;
    }
}
