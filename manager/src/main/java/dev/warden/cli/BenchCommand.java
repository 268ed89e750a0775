package dev.warden.cli;

import dev.warden.bench.BenchReport;
import dev.warden.bench.FailoverBench;
import dev.warden.bench.ProbeBench;
import dev.warden.bench.Profile;
import dev.warden.bench.SwitchoverBench;
import dev.warden.config.DurationText;
import dev.warden.sandbox.FileTrees;
import dev.warden.sandbox.SandboxFlavor;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code warden bench failover|switchover|probe}: Warden's figures, measured on real local servers. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure failover, switchover and probing on real local servers (fresh sandboxes).",
        subcommands = {BenchCommand.Failover.class, BenchCommand.Switchover.class, BenchCommand.Probe.class})
final class BenchCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Options every benchmark takes. */
    static class Common {
        @Option(names = "--profile", defaultValue = "default", paramLabel = "P",
                description = "default (what users get) or aggressive. Default: ${DEFAULT-VALUE}.")
        String profile;

        @Option(names = "--json", paramLabel = "FILE", description = "Also write the runs and summary as JSON.")
        Path json;

        @Option(names = "--dir", paramLabel = "D", description = "Work directory (default: a new one under "
                + "./warden-bench, removed afterwards).")
        Path dir;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        Profile profile() {
            try {
                return Profile.valueOf(profile.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw usage("--profile '" + profile + "': use default or aggressive");
            }
        }

        SandboxFlavor flavor(String text) {
            try {
                return SandboxFlavor.parse(text);
            } catch (RuntimeException e) {
                throw usage("--flavor: " + e.getMessage());
            }
        }

        int positive(String option, int value, int max) {
            if (value < 1 || value > max) {
                throw usage(option + " must be between 1 and " + max + ", not " + value);
            }
            return value;
        }

        java.time.Duration duration(String option, String text) {
            try {
                java.time.Duration d = DurationText.parse(text);
                if (d.isNegative()) {
                    throw usage(option + " must not be negative, not " + text);
                }
                return d;
            } catch (IllegalArgumentException e) {
                throw usage(option + ": " + e.getMessage());
            }
        }

        /** Bad input: exit 2 with the message, before any server starts. */
        picocli.CommandLine.ParameterException usage(String message) {
            return new picocli.CommandLine.ParameterException(spec.commandLine(), message);
        }

        int finish(BenchReport report, Path work, boolean own) throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            out.println();
            report.print(out);
            if (json != null) {
                report.writeJson(json);
                out.println("JSON: " + json.toAbsolutePath());
            }
            out.flush();
            if (own) {
                FileTrees.deleteRecursively(work);
                try {
                    Files.deleteIfExists(work.getParent()); // ./warden-bench, when no other run is using it
                } catch (java.io.IOException stillUsed) {
                    // another benchmark's work directory is in it
                }
            }
            return WardenCommand.OK;
        }

        Path work() throws java.io.IOException {
            if (dir != null) {
                return dir.toAbsolutePath();
            }
            Path base = Path.of("warden-bench").toAbsolutePath();
            Files.createDirectories(base);
            return Files.createTempDirectory(base, "run-");
        }
    }

    @Command(name = "failover", mixinStandardHelpOptions = true,
            description = "Per run: a fresh primary + 2 replicas, an application writing, the fault, the figures.")
    static final class Failover extends Common implements Callable<Integer> {
        @Option(names = "--flavor", defaultValue = "mysql8", paramLabel = "F", description = "mysql8 or mariadb.")
        String flavor;

        @Option(names = "--runs", defaultValue = "10", paramLabel = "N")
        int runs;

        @Option(names = "--fault", defaultValue = "kill", paramLabel = "kill|stop",
                description = "kill -9 the primary, or SIGSTOP it (hung). Default: ${DEFAULT-VALUE}.")
        String fault;

        @Option(names = "--rate", defaultValue = "200", paramLabel = "ROWS/S")
        int rate;

        @Override
        public Integer call() throws Exception {
            FailoverBench.Fault f = switch (fault.toLowerCase(Locale.ROOT)) {
                case "kill" -> FailoverBench.Fault.KILL;
                case "stop" -> FailoverBench.Fault.STOP;
                default -> throw usage("--fault '" + fault + "': use kill or stop");
            };
            SandboxFlavor fl = flavor(flavor);
            Profile p = profile();
            positive("--runs", runs, 1000);
            positive("--rate", rate, 5000);
            Path work = work();
            return finish(FailoverBench.run(fl, f, runs, rate, p, work, spec.commandLine().getOut()), work,
                    dir == null);
        }
    }

    @Command(name = "switchover", mixinStandardHelpOptions = true,
            description = "Planned switchovers on one primary + 2 replicas with an application writing.")
    static final class Switchover extends Common implements Callable<Integer> {
        @Option(names = "--flavor", defaultValue = "mysql8", paramLabel = "F", description = "mysql8 or mariadb.")
        String flavor;

        @Option(names = "--runs", defaultValue = "10", paramLabel = "N")
        int runs;

        @Option(names = "--rate", defaultValue = "200", paramLabel = "ROWS/S")
        int rate;

        @Override
        public Integer call() throws Exception {
            SandboxFlavor fl = flavor(flavor);
            Profile p = profile();
            positive("--runs", runs, 1000);
            positive("--rate", rate, 5000);
            Path work = work();
            return finish(SwitchoverBench.run(fl, runs, rate, p, work, spec.commandLine().getOut()), work,
                    dir == null);
        }
    }

    @Command(name = "probe", mixinStandardHelpOptions = true,
            description = "Watch N servers for a while: manager CPU, probe latency, heap.")
    static final class Probe extends Common implements Callable<Integer> {
        @Option(names = "--flavor", defaultValue = "mariadb", paramLabel = "F",
                description = "Default: ${DEFAULT-VALUE} (lighter servers).")
        String flavor;

        @Option(names = "--servers", defaultValue = "60", paramLabel = "N")
        int servers;

        @Option(names = "--duration", defaultValue = "60s", paramLabel = "D",
                description = "How long to measure. Default: ${DEFAULT-VALUE}.")
        String duration;

        @Option(names = "--warmup", defaultValue = "180s", paramLabel = "D",
                description = "Watched but not measured first (JIT compilation, connections). Default: ${DEFAULT-VALUE}.")
        String warmup;

        @Override
        public Integer call() throws Exception {
            SandboxFlavor fl = flavor(flavor);
            Profile p = profile();
            positive("--servers", servers, 65);
            var d = duration("--duration", duration);
            var w = duration("--warmup", warmup);
            if (d.isZero()) {
                throw usage("--duration must be positive, not " + duration);
            }
            Path work = work();
            return finish(ProbeBench.run(fl, servers, d, w, p, work, spec.commandLine().getOut()), work,
                    dir == null);
        }
    }
}
