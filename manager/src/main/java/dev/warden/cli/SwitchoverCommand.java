package dev.warden.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.config.WardenConfig;
import dev.warden.model.InstanceKey;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code warden switchover}: asks the running daemon to move the primary (to {@code --to}, or the best candidate),
 * waits for the result and prints it. Exit 0 when it succeeded, 1 when refused, rolled back or failed.
 */
@Command(name = "switchover", mixinStandardHelpOptions = true,
        description = "Move the primary on purpose without losing a write (runs in the daemon).")
final class SwitchoverCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    ConfigOption config;

    @Option(names = "--cluster", required = true, paramLabel = "NAME")
    String cluster;

    @Option(names = "--to", paramLabel = "HOST:PORT", description = "The replica to promote (default: the best one).")
    String to;

    @Option(names = "--dry-run", description = "Show the plan, change nothing.")
    boolean dryRun;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (to != null) {
            InstanceKey.parse(to);
        }
        WardenConfig cfg = config.load(spec.commandLine().getErr());
        Checks.requireCluster(cfg, cluster, config.file);
        Map<String, Object> body = new LinkedHashMap<>();
        if (to != null) {
            body.put("to", to);
        }
        body.put("dryRun", dryRun);
        DaemonClient.Response r = new DaemonClient(cfg).call("/api/clusters/" + cluster + "/switchover", body);
        PrintWriter out = spec.commandLine().getOut();
        JsonNode n = JSON.readTree(r.body());
        return OperationOutput.print(out, "Switchover", r.status(), n, dryRun);
    }
}
