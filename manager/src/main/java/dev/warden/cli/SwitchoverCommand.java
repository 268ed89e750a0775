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
        if (r.status() == 422) {
            out.println("Switchover refused (nothing was changed):");
            n.path("reasons").forEach(x -> out.println("  - " + x.asText()));
            out.flush();
            return WardenCommand.FAILED;
        }
        if (r.status() != 200) {
            out.println("Switchover not started: " + n.path("error").asText() + ": " + n.path("detail").asText());
            out.flush();
            return WardenCommand.FAILED;
        }
        if (dryRun) {
            JsonNode p = n.path("plan");
            out.println(p.path("summary").asText() + " (" + p.path("why").asText() + "):");
            p.path("steps").forEach(s -> out.println("  " + s.asText()));
            out.flush();
            return WardenCommand.OK;
        }
        out.println(n.path("summary").asText());
        for (JsonNode s : n.path("steps")) {
            out.printf("  %-13s %5s ms  %s: %s%n", s.path("status").asText(), s.path("millis").asText("-"),
                    s.path("step").asText(), s.path("detail").asText());
        }
        for (JsonNode h : n.path("hooks")) {
            out.println("  hook " + h.path("hook").asText() + " (" + h.path("event").asText() + "): "
                    + h.path("status").asText() + " after " + h.path("attempts").asInt() + " attempt(s)"
                    + (h.path("error").asText().isEmpty() ? "" : ": " + h.path("error").asText()));
        }
        if (!n.path("writePauseMillis").isNull()) {
            out.println("Writes paused " + n.path("writePauseMillis").asLong() + " ms (old primary read-only to new "
                    + "primary writable).");
        }
        out.flush();
        return "SUCCEEDED".equals(n.path("outcome").asText()) ? WardenCommand.OK : WardenCommand.FAILED;
    }
}
