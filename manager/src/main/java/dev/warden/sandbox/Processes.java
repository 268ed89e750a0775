package dev.warden.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Small helpers to run programs and signal processes by PID (only processes this sandbox started). */
public final class Processes {

    private Processes() {
    }

    public record Result(int exitCode, String output) {
    }

    /** The "X.Y.Z" a server binary prints for {@code --version} ("mysqld  Ver 9.7.4-2 ..."); {@code what} names it. */
    static String serverVersion(List<String> versionCommand, String what) {
        Result r = run(versionCommand, null, Duration.ofSeconds(30));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Ver (\\d+\\.\\d+\\.\\d+)").matcher(r.output());
        if (r.exitCode() != 0 || !m.find()) {
            throw new SandboxException(what + " --version failed: " + r.output().trim());
        }
        return m.group(1);
    }

    /** Runs a program to completion, stdout and stderr together; kills it after {@code timeout}. */
    public static Result run(List<String> command, Path workDir, Duration timeout) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (workDir != null) {
            pb.directory(workDir.toFile());
        }
        try {
            Path out = Files.createTempFile("warden-run", ".out");
            try {
                pb.redirectOutput(out.toFile());
                Process p = pb.start();
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(5, TimeUnit.SECONDS);
                    throw new SandboxException(String.join(" ", command) + " did not finish within "
                            + timeout.toSeconds() + " s");
                }
                return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new SandboxException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("interrupted while running " + command.get(0), e);
        }
    }

    /**
     * Whether {@code pid} is alive and is the process we started: its command line must mention
     * {@code marker} (the instance's directory), so a recycled PID is never mistaken for ours.
     */
    public static boolean isOurs(long pid, String marker) {
        if (pid <= 0) {
            return false;
        }
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty() || !h.get().isAlive()) {
            return false;
        }
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            String cmdline = new String(raw, StandardCharsets.UTF_8).replace('\0', ' ');
            return cmdline.contains(marker);
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether the process exists and is not a zombie. */
    public static boolean isRunning(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            int close = stat.lastIndexOf(')');
            char state = stat.charAt(close + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Sends a signal (KILL, TERM, STOP, CONT) to one process. */
    public static void signal(long pid, String signal) {
        Result r = run(List.of("kill", "-" + signal, Long.toString(pid)), null, Duration.ofSeconds(10));
        if (r.exitCode() != 0) {
            throw new SandboxException("kill -" + signal + " " + pid + " failed: " + r.output().trim());
        }
    }

    /** Waits until the process is gone (or a zombie); true if it went within {@code timeout}. */
    public static boolean awaitExit(long pid, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (!isRunning(pid)) {
                return true;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !isRunning(pid);
            }
        }
        return !isRunning(pid);
    }

    /** Last {@code lines} lines of a log file, for error messages. */
    public static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no " + file.getFileName() + ")";
        }
    }
}
