package dev.warden.cli;

import dev.warden.config.WardenConfig;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code warden ack}: lifts the anti-flap block after a failover, so the next failure may be failed over. */
@Command(name = "ack", mixinStandardHelpOptions = true,
        description = "Acknowledge the last failover of a cluster: automatic failover is allowed again.")
final class AckCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Option(names = "--cluster", required = true, paramLabel = "NAME")
    String cluster;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        WardenConfig cfg = config.load(spec.commandLine().getErr());
        Checks.requireCluster(cfg, cluster, config.file);
        new DaemonClient(cfg).post("/api/clusters/" + cluster + "/acknowledge", Map.of());
        spec.commandLine().getOut().println("Cluster " + cluster + ": acknowledged; automatic failover is allowed "
                + "again.");
        spec.commandLine().getOut().flush();
        return WardenCommand.OK;
    }
}
