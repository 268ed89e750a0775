package dev.warden.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real warden.jar in a separate JVM, as users run it. */
public final class WardenProcess implements AutoCloseable {

    /** Every cycle's sentence in the output (DEBUG in production): what the scenarios read and wait for. */
    private static final String CYCLES_LOGGED = "-DWARDEN_CYCLE_LOG_LEVEL=DEBUG";

    private final Process process;
    private final Path output;

    private WardenProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    public static Path jar() {
        String jar = System.getProperty("warden.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("-Dwarden.jar must name the built warden.jar (mvn verify sets it); got "
                    + jar);
        }
        return Path.of(jar);
    }

    /**
     * The jar as a path relative to the JVM's working directory, as users type it ({@code java -jar
     * manager/target/warden.jar}), so that whatever the jar starts in another directory is tested with that too.
     */
    static String jarFrom(Path workDir) {
        return workDir.toAbsolutePath().relativize(jar().toAbsolutePath()).toString();
    }

    public static WardenProcess start(Path workDir, String... args) throws IOException {
        return start(workDir, List.of(), args);
    }

    /** With JVM options, such as {@code -Dwarden.test.pause-at=after:promote}. */
    public static WardenProcess start(Path workDir, List<String> jvmOptions, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add(CYCLES_LOGGED);
        cmd.addAll(jvmOptions);
        cmd.add("-jar");
        cmd.add(jarFrom(workDir));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(workDir, "warden-", ".out");
        Process p = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        return new WardenProcess(p, out);
    }

    /**
     * Started by a shell that first enters the cgroup whose {@code cgroup.procs} file is {@code procs}, so every
     * socket the JVM makes is in that group (for partitions matched by iptables' cgroup match).
     */
    public static WardenProcess startIn(Path workDir, Path procs, List<String> jvmOptions, String... args)
            throws IOException {
        StringBuilder cmd = new StringBuilder("echo $$ > ").append(quote(procs.toString())).append(" && exec ")
                .append(quote(Path.of(System.getProperty("java.home"), "bin", "java").toString())).append(' ')
                .append(CYCLES_LOGGED);
        for (String o : jvmOptions) {
            cmd.append(' ').append(quote(o));
        }
        cmd.append(" -jar ").append(quote(jarFrom(workDir)));
        for (String a : args) {
            cmd.append(' ').append(quote(a));
        }
        Path out = Files.createTempFile(workDir, "warden-", ".out");
        Process p = new ProcessBuilder("sh", "-c", cmd.toString()).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        return new WardenProcess(p, out);
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** Runs to completion (bounded) and returns exit code and output. */
    public static Cli.Run run(Path workDir, Duration timeout, String... args) throws Exception {
        try (WardenProcess p = start(workDir, args)) {
            if (!p.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("warden " + String.join(" ", args) + " did not finish within " + timeout
                        + "; output so far:\n" + p.output());
            }
            return new Cli.Run(p.process.exitValue(), p.output(), "");
        }
    }

    /** Waits for the process to end by itself; returns its exit code. */
    public int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("warden did not exit within " + timeout + "; output so far:\n" + output());
        }
        return process.exitValue();
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read output: " + e.getMessage() + ")";
        }
    }

    /** kill -9 of the JVM: what a crash looks like to the servers it started. */
    public void killHard() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            killHard();
        }
    }
}
