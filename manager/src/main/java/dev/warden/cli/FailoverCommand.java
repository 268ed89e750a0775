package dev.warden.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.config.WardenConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code warden failover}: asks the running daemon to fail over now. For a primary confirmed dead it runs even when
 * automation is held back (anti-flap, maintenance, failover.automatic off); for one that looks healthy it is
 * refused unless {@code --force --reason} (admin token).
 */
@Command(name = "failover", mixinStandardHelpOptions = true,
        description = "Replace a dead primary now (runs in the daemon); --force with --reason replaces a healthy one.")
final class FailoverCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Option(names = "--cluster", required = true, paramLabel = "NAME")
    String cluster;

    @Option(names = "--force", description = "Also when the primary looks healthy (admin only; may lose writes).")
    boolean force;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why (required with --force; kept in the audit).")
    String reason;

    @Option(names = "--dry-run", description = "Show the plan, change nothing.")
    boolean dryRun;

    @Option(names = "--without-coordination", description = "Break-glass, several managers: fail over through this "
            + "manager although it does not lead (ZooKeeper lost), on its own verdict (admin only, needs --reason; "
            + "refused while another manager visibly leads the cluster).")
    boolean withoutCoordination;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (force && (reason == null || reason.isBlank())) {
            throw new IllegalArgumentException("--force needs --reason: a sentence for the audit");
        }
        if (withoutCoordination && (reason == null || reason.isBlank())) {
            throw new IllegalArgumentException("--without-coordination needs --reason: a sentence for the audit");
        }
        WardenConfig cfg = config.load(spec.commandLine().getErr());
        Checks.requireCluster(cfg, cluster, config.file);
        if (withoutCoordination && !cfg.coordinated()) {
            throw new IllegalArgumentException(config.file + " has no coordination section: this manager runs alone "
                    + "and --without-coordination does not apply; use warden failover");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("force", force);
        if (reason != null) {
            body.put("reason", reason);
        }
        body.put("dryRun", dryRun);
        if (withoutCoordination) {
            body.put("withoutCoordination", true);
        }
        DaemonClient.Response r = new DaemonClient(cfg).call("/api/clusters/" + cluster + "/failover", body);
        return OperationOutput.print(spec.commandLine().getOut(), "Failover", r.status(),
                new ObjectMapper().readTree(r.body()), dryRun);
    }
}
