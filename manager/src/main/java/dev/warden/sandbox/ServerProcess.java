package dev.warden.sandbox;

import dev.warden.config.Credentials;
import dev.warden.config.Secret;
import dev.warden.config.TlsMode;
import dev.warden.model.InstanceKey;
import dev.warden.model.Reachability;
import dev.warden.probe.FailureClassifier;
import dev.warden.probe.ConnectionFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Starting one sandbox server and waiting until it answers. */
final class ServerProcess {

    static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final ConnectionFactory ROOT = new ConnectionFactory(
            new Credentials("root", Secret.of(""), "root", Secret.of(""), TlsMode.DISABLED, true),
            Duration.ofSeconds(2));

    private ServerProcess() {
    }

    /** Starts the server detached from this JVM's session (setsid), so it survives a JVM crash; returns its PID. */
    static long start(ServerDistribution dist, InstanceLayout l) {
        List<String> cmd = new ArrayList<>();
        cmd.add("setsid");
        cmd.addAll(dist.command(l.configFile()));
        try {
            Files.deleteIfExists(l.pidFile());
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(l.stdoutLog().toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            return p.pid();
        } catch (IOException e) {
            throw new SandboxException("cannot start " + String.join(" ", cmd) + ": " + e.getMessage(), e);
        }
    }

    /** Waits until root can log in over TCP; fails with the end of the error log if the server dies. */
    static void awaitReady(InstanceLayout l, long pid, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        SQLException last = null;
        while (System.nanoTime() < end) {
            if (!Processes.isRunning(pid)) {
                throw new SandboxException("server " + l.name() + " (port " + l.port() + ") exited during startup; "
                        + "end of " + l.errorLog() + ":\n" + Processes.tail(l.errorLog(), 25)
                        + stdout(l));
            }
            try (Connection c = root(l.port(), Duration.ofSeconds(5))) {
                return;
            } catch (SQLException e) {
                if (!stillStarting(e)) {
                    throw new SandboxException("server " + l.name() + " (port " + l.port() + ") is up but refuses the "
                            + "sandbox's root login: " + e.getMessage(), e);
                }
                last = e;
            }
            sleep(100);
        }
        throw new SandboxException("server " + l.name() + " (port " + l.port() + ", PID " + pid + ") did not accept "
                + "connections within " + timeout.toSeconds() + " s (last error: "
                + (last == null ? "none" : last.getMessage()) + "); end of " + l.errorLog() + ":\n"
                + Processes.tail(l.errorLog(), 25));
    }

    /** Not listening yet, or listening but not yet accepting logins: keep waiting. Anything else is a real error. */
    private static boolean stillStarting(SQLException e) {
        Reachability r = FailureClassifier.classify(e);
        return r == Reachability.REFUSED || r == Reachability.TIMEOUT || r == Reachability.NETWORK_ERROR
                || r == Reachability.SERVER_ERROR;
    }

    private static String stdout(InstanceLayout l) {
        String out = Processes.tail(l.stdoutLog(), 10).trim();
        return out.isEmpty() || out.startsWith("(no ") ? "" : "\nconsole output:\n" + out;
    }

    /** A root connection to a sandbox server (root has no password there). */
    static Connection root(int port, Duration readTimeout) throws SQLException {
        return ROOT.open(new InstanceKey("127.0.0.1", port), readTimeout);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("interrupted", e);
        }
    }
}
