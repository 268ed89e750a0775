package dev.warden.cli;

import dev.warden.check.CheckResult;
import dev.warden.check.CheckRunner;
import dev.warden.check.Verdict;
import dev.warden.config.ClusterConfig;
import dev.warden.config.ConfigLoader;
import dev.warden.config.ConfigProblem;
import dev.warden.config.WardenConfig;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code warden check -c FILE}: configuration, connectivity, grants, GTID and binlog settings, heartbeat table
 * and topology, each with a verdict. Exit 0 when nothing failed, 1 when something did, 2 for a bad config.
 * Reads only; changes nothing on any server.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Check configuration, connectivity, grants, GTID and binlog settings of every server.")
final class CheckCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ConfigLoader.Loaded loaded = ConfigLoader.load(config.file);
        WardenConfig cfg = loaded.config();
        out.println((loaded.warnings().isEmpty() ? "PASS" : "WARN") + "  config       " + config.file + ": "
                + cfg.clusters().size() + " cluster(s)" + (loaded.warnings().isEmpty() ? ""
                : ", " + loaded.warnings().size() + " value(s) corrected"));
        for (ConfigProblem w : loaded.warnings()) {
            out.println("        " + w);
        }
        Verdict worst = loaded.warnings().isEmpty() ? Verdict.PASS : Verdict.WARN;
        int failures = 0;
        int warnings = loaded.warnings().size();
        ExecutorService pool = Pools.probes();
        try {
            for (ClusterConfig c : cfg.clusters()) {
                out.println();
                out.println("cluster " + c.name());
                CheckRunner.ClusterReport report = CheckRunner.run(c, cfg.probe(), new dev.warden.check.ServerChecks
                        .HeartbeatRule(cfg.failover().replicaSilence(), cfg.replication().enforceHeartbeatPeriod()
                        ? cfg.replication().heartbeatPeriod() : null), pool);
                String subject = null;
                for (CheckResult r : report.results()) {
                    if (!r.subject().equals(subject)) {
                        subject = r.subject();
                        out.println("  " + subject);
                    }
                    out.printf("    %-4s  %-12s %s%n", r.verdict(), r.check(), r.detail());
                    if (r.verdict() == Verdict.FAIL) failures++;
                    if (r.verdict() == Verdict.WARN) warnings++;
                }
                if (report.verdict().compareTo(worst) > 0) {
                    worst = report.verdict();
                }
            }
        } finally {
            pool.shutdownNow();
        }
        out.println();
        out.println("verdict: " + worst + " (" + failures + " failed, " + warnings + " warning"
                + (warnings == 1 ? "" : "s") + ")");
        out.flush();
        return worst == Verdict.FAIL ? WardenCommand.FAILED : WardenCommand.OK;
    }
}
