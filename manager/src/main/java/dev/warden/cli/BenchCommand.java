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
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code warden bench failover|switchover|probe}: Warden's figures, measured on real local servers. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure failover, switchover and probing on real local servers (fresh sandboxes).",
        subcommands = {BenchCommand.Failover.class, BenchCommand.Switchover.class, BenchCommand.Probe.class,
                BenchCommand.Chaos.class})
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
        @Option(names = "--flavor", defaultValue = "mysql8", paramLabel = "F", description = "mysql8, mariadb, mysql9 or mariadb11 (see sandbox up --help).")
        String flavor;

        @Option(names = "--runs", defaultValue = "10", paramLabel = "N")
        int runs;

        @Option(names = "--fault", defaultValue = "kill", paramLabel = "kill|stop",
                description = "kill -9 the primary, or SIGSTOP it (hung). Default: ${DEFAULT-VALUE}.")
        String fault;

        @Option(names = "--rate", defaultValue = "200", paramLabel = "ROWS/S")
        int rate;

        @Option(names = "--managers", defaultValue = "1", paramLabel = "N",
                description = "1: one manager in this JVM (the default). 3 (2..5): that many managers, each its own "
                        + "JVM, on a real 3-server ZooKeeper ensemble and a shared store server; each run kills the "
                        + "primary, then the leading manager (takeover time). Default settings only (--profile "
                        + "default), --fault kill.")
        int managers;

        @Override
        public Integer call() throws Exception {
            if (managers != 1) {
                positive("--managers", managers, 5);
                if (!"kill".equalsIgnoreCase(fault) || !"default".equalsIgnoreCase(profile)) {
                    throw usage("--managers " + managers + " runs with --fault kill and --profile default only");
                }
                SandboxFlavor fl = flavor(flavor);
                positive("--runs", runs, 1000);
                positive("--rate", rate, 5000);
                Path work = work();
                return finish(dev.warden.bench.ManagersFailoverBench.run(fl, managers, runs, rate, work,
                        spec.commandLine().getOut()), work, dir == null);
            }
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

    @Command(name = "chaos", mixinStandardHelpOptions = true,
            description = "The fault campaign: per round a fresh primary + 2 replicas, HAProxy, applications writing, one "
                    + "fault drawn from the seed; the safety invariants checked against ground truth. Needs root for "
                    + "partitions (iptables, cgroups); without, those faults are skipped and the report says so.")
    static final class Chaos extends Common implements Callable<Integer> {
        @Option(names = "--flavor", defaultValue = "mysql8", paramLabel = "F",
                description = "mysql8, mysql9, mariadb or mariadb11. Default: ${DEFAULT-VALUE}.")
        String flavor;

        @Option(names = "--rounds", defaultValue = "13", paramLabel = "N")
        int rounds;

        @Option(names = "--seed", defaultValue = "1", paramLabel = "S",
                description = "Draws every round's fault, timing and parameters. Default: ${DEFAULT-VALUE}.")
        long seed;

        @Option(names = "--from-round", defaultValue = "1", paramLabel = "R",
                description = "Number of the first round (replay round R of seed S: --from-round R --rounds 1).")
        int fromRound;

        @Option(names = "--faults", split = ",", paramLabel = "K,...",
                description = "Only these faults (default: all): kill-primary, stop-primary, kill-replica, "
                        + "stop-replica, manager-partition, replica-partition, isolate-primary, slow-apply, "
                        + "switchover-locked, credentials, manager-kill, stalled-hook, store-outage.")
        List<String> faults;

        @Option(names = "--keep", description = "Keep every round's directory (logs), not only those with violations.")
        boolean keep;

        @Override
        public Integer call() throws Exception {
            SandboxFlavor fl = flavor(flavor);
            positive("--rounds", rounds, 100_000);
            positive("--from-round", fromRound, 1_000_000);
            if (faults != null) {
                for (String f : faults) {
                    if (!dev.warden.bench.chaos.ChaosCampaign.faultNames().contains(f.trim().toLowerCase(Locale.ROOT))) {
                        throw usage("--faults: '" + f + "' is not a fault; faults are "
                                + String.join(", ", dev.warden.bench.chaos.ChaosCampaign.faultNames()));
                    }
                }
            }
            Path work = dir != null ? dir.toAbsolutePath() : dev.warden.bench.chaos.ChaosCampaign.workDir();
            PrintWriter out = spec.commandLine().getOut();
            out.println("work directory: " + work);
            int bad = dev.warden.bench.chaos.ChaosCampaign.run(new dev.warden.bench.chaos.ChaosCampaign.Options(fl,
                    rounds, seed, fromRound, faults, work, json, keep), out);
            if (bad == 0 && dir == null && !keep) {
                FileTrees.deleteRecursively(work);
            }
            return bad == 0 ? WardenCommand.OK : 1;
        }
    }

    @Command(name = "switchover", mixinStandardHelpOptions = true,
            description = "Planned switchovers on one primary + 2 replicas with an application writing.")
    static final class Switchover extends Common implements Callable<Integer> {
        @Option(names = "--flavor", defaultValue = "mysql8", paramLabel = "F", description = "mysql8, mariadb, mysql9 or mariadb11 (see sandbox up --help).")
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
