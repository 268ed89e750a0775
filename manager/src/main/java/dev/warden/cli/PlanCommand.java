package dev.warden.cli;

import dev.warden.config.ClusterConfig;
import dev.warden.config.DurationText;
import dev.warden.config.ServerConfig;
import dev.warden.config.WardenConfig;
import dev.warden.decision.ClusterControls;
import dev.warden.decision.ClusterHistory;
import dev.warden.decision.ClusterView;
import dev.warden.decision.Decision;
import dev.warden.decision.Planner;
import dev.warden.model.InstanceKey;
import dev.warden.plan.Plan;
import dev.warden.plan.Step;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code warden plan -c FILE}: the failover that would run if each cluster's primary were lost now: candidate and
 * why, known transactions missing, replicas excluded or left behind, steps. Reads only.
 */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Show the failover that would run if each primary were lost now.")
final class PlanCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Option(names = "--cluster", paramLabel = "NAME", description = "Only this cluster.")
    String cluster;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        WardenConfig cfg = config.load(spec.commandLine().getErr());
        var clusters = cluster == null ? cfg.clusters() : java.util.List.of(Checks.requireCluster(cfg, cluster,
                config.file));
        ExecutorService pool = Pools.probes();
        try {
            for (ClusterConfig c : clusters) {
                OneShotProbe.Result r = OneShotProbe.run(cfg, c, pool);
                Map<InstanceKey, ServerConfig> configured = new LinkedHashMap<>();
                c.servers().forEach(s -> configured.put(s.key(), s));
                ClusterView view = new ClusterView(r.topology(), ClusterHistory.EMPTY.next(r.snapshot()),
                        ClusterControls.NONE, cfg.failover(), configured);
                print(out, c.name(), Planner.hypothetical(view, Instant.now()));
            }
        } finally {
            pool.shutdownNow();
        }
        out.flush();
        return WardenCommand.OK;
    }

    static void print(PrintWriter out, String cluster, Decision d) {
        if (!(d instanceof Decision.Act act)) {
            out.println("cluster " + cluster + ": " + d.sentence());
            out.println();
            return;
        }
        Plan p = act.plan();
        out.println("cluster " + cluster + ": if " + p.oldPrimary() + " were lost now:");
        out.println("  candidate:       " + p.candidate() + " (" + p.why() + ")");
        out.println("  known missing:   " + p.knownMissing() + " known transaction(s) the candidate lacks (seen on the "
                + "primary or another replica; with asynchronous replication the real loss can be larger)");
        out.println("  excluded:        " + (p.excluded().isEmpty() ? "none" : String.join("; ",
                p.excluded().stream().map(Plan.Reasoned::toString).toList())));
        out.println("  left behind:     " + (p.leftBehind().isEmpty() ? "none" : String.join("; ",
                p.leftBehind().stream().map(Plan.Reasoned::toString).toList())));
        out.println("  steps:");
        int n = 1;
        for (Step s : p.steps()) {
            out.println("    " + n++ + ". " + s.describe() + " (within " + DurationText.format(s.timeout()) + ")");
        }
        out.println();
    }
}
