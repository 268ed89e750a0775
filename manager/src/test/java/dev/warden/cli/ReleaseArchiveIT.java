package dev.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.sandbox.SandboxFlavor;
import dev.warden.testing.SandboxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release archive Maven builds (target/warden-VERSION.tar.gz), unpacked as an operator would: its launcher runs
 * the jar from anywhere (through a symlink too), says which build it is, watches real servers; a missing java is
 * said clearly; its systemd unit passes systemd-analyze verify once pointed at the unpacked directory.
 */
class ReleaseArchiveIT {

    @RegisterExtension
    static final SandboxExtension SANDBOX = SandboxExtension.of(SandboxFlavor.MYSQL8, 1);

    static final Path ARCHIVE = Path.of(System.getProperty("warden.release", "target/warden.tar.gz"));
    static final Path REPO = Path.of(System.getProperty("warden.repo.root", ".."));

    record Run(int exit, String out) {
    }

    static Run run(Path dir, Map<String, String> env, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " did not finish in 120 s");
        }
        return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes()));
    }

    /** The unpacked archive's top directory. */
    static Path unpack(Path into) throws Exception {
        assertThat(ARCHIVE).as("the release archive (mvn package builds it)").exists();
        Run tar = run(into, Map.of(), "tar", "-xzf", ARCHIVE.toAbsolutePath().toString());
        assertThat(tar.exit()).as(tar.out()).isZero();
        try (var top = Files.list(into)) {
            return top.filter(Files::isDirectory).findFirst().orElseThrow();
        }
    }

    @Test
    void theArchiveHoldsWhatAnOperatorNeedsAndItsLauncherRunsTheJar(@TempDir Path tmp) throws Exception {
        Path home = unpack(tmp);
        assertThat(home.getFileName().toString()).startsWith("warden-");
        for (String f : List.of("bin/warden", "lib/warden.jar", "etc/warden.example.yaml", "systemd/warden.service",
                "sql/grants/mysql.sql", "sql/grants/mariadb.sql", "sql/heartbeat.sql",
                "docs/prometheus/warden-alerts.yml", "docs/grafana/warden-dashboard.json", "README.md")) {
            assertThat(home.resolve(f)).as(f).isRegularFile();
        }
        assertThat(Files.getPosixFilePermissions(home.resolve("bin/warden"))).contains(PosixFilePermission.OWNER_EXECUTE);

        // Through a symlink from elsewhere, as /usr/local/bin/warden would be.
        Path link = Files.createSymbolicLink(tmp.resolve("warden-link"), home.resolve("bin/warden"));
        Run version = run(tmp, Map.of(), link.toString(), "--version");
        assertThat(version.exit()).as(version.out()).isZero();
        String head = run(REPO, Map.of(), "git", "rev-parse", "HEAD").out().trim();
        assertThat(version.out()).startsWith("warden " + home.getFileName().toString().substring("warden-".length())
                + " (commit " + head.substring(0, 10) + " of ").contains("Java 17");

        Run status = run(tmp, Map.of(), link.toString(), "status", "-c", SANDBOX.sandbox().configFile().toString());
        assertThat(status.exit()).as(status.out()).isZero();
        assertThat(status.out()).contains(SANDBOX.sandbox().primary().key().toString());

        Run noJava = run(tmp, Map.of("JAVA_HOME", tmp.resolve("no-such-jdk").toString()), link.toString(),
                "--version");
        assertThat(noJava.exit()).isEqualTo(1);
        assertThat(noJava.out()).contains("warden: no java found").contains("set JAVA_HOME");
    }

    @Test
    void theSystemdUnitVerifiesCleanlyAgainstTheUnpackedArchive(@TempDir Path tmp) throws Exception {
        Path home = unpack(tmp);
        String unit = Files.readString(home.resolve("systemd/warden.service"));
        assertThat(unit).contains("ExecStart=/opt/warden/bin/warden run -c /etc/warden/warden.yaml")
                .contains("RestartPreventExitStatus=2").contains("ReadWritePaths=/var/lib/warden");
        Path units = Files.createDirectories(tmp.resolve("units"));
        Files.writeString(units.resolve("warden.service"), unit.replace("/opt/warden", home.toString()));
        Run verify = run(units, Map.of("SYSTEMD_LOG_COLOR", "0"), "systemd-analyze", "verify",
                units.resolve("warden.service").toString());
        assertThat(verify.exit()).as(verify.out()).isZero();
        assertThat(verify.out()).as("no warning from systemd-analyze verify").isBlank();

        // The same check notices a broken unit: it is not vacuous.
        Files.writeString(units.resolve("warden.service"), unit);
        Run broken = run(units, Map.of(), "systemd-analyze", "verify", units.resolve("warden.service").toString());
        assertThat(broken.out()).contains("/opt/warden/bin/warden");
    }
}
