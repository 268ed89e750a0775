package dev.warden.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.bench.BenchReport;
import dev.warden.config.WardenConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code warden drill}: proves the recovery path on a live cluster: through the running daemon, a switchover to
 * the best candidate and back to the original primary, each measured (write pause, duration, steps). Refuses to
 * start unless the cluster is healthy, and stops if a leg fails.
 */
@Command(name = "drill", mixinStandardHelpOptions = true,
        description = "Switch over to the best candidate and back on a live cluster (through the daemon) and report "
                + "the write pause and timings. Only on a healthy cluster.")
final class DrillCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final Duration SETTLE = Duration.ofSeconds(60);

    @Mixin
    ConfigOption config;

    @Option(names = "--cluster", required = true, paramLabel = "NAME")
    String cluster;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the report as JSON.")
    Path json;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        WardenConfig cfg = config.load(spec.commandLine().getErr());
        Checks.requireCluster(cfg, cluster, config.file);
        DaemonClient daemon = new DaemonClient(cfg);
        PrintWriter out = spec.commandLine().getOut();
        JsonNode before = state(daemon);
        List<String> unhealthy = unhealthy(before);
        if (!unhealthy.isEmpty()) {
            out.println("Drill refused: cluster " + cluster + " is not healthy (nothing was changed):");
            unhealthy.forEach(u -> out.println("  - " + u));
            out.flush();
            return WardenCommand.FAILED;
        }
        String original = before.path("primary").asText();
        String version = before.path("servers").path(0).path("version").asText();
        BenchReport report = new BenchReport("drill", version, "live cluster " + cluster,
                List.of("pause_s", "took_s"));
        report.put("original_primary", original);
        List<Map<String, Object>> legs = new ArrayList<>();
        for (String to : new String[] {null, original}) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("to", to);
            DaemonClient.Response r = daemon.call("/api/clusters/" + cluster + "/switchover", body);
            JsonNode op = JSON.readTree(r.body());
            if (r.status() != 200 || !"SUCCEEDED".equals(op.path("outcome").asText())) {
                OperationOutput.print(out, "Drill switchover" + (to == null ? "" : " back to " + to), r.status(), op,
                        false);
                out.println("Drill stopped after " + legs.size() + " of 2 switchovers; the primary is now "
                        + state(daemon).path("primary").asText() + ".");
                out.flush();
                return WardenCommand.FAILED;
            }
            Map<String, Object> leg = new LinkedHashMap<>();
            leg.put("operation", op.path("id").asText());
            leg.put("from", op.path("oldPrimary").asText());
            leg.put("to", op.path("candidate").asText());
            leg.put("pause_s", op.path("writePauseMillis").isNumber() ? op.path("writePauseMillis").asLong() / 1000.0
                    : null);
            leg.put("took_s", op.path("millis").asLong() / 1000.0);
            Map<String, Object> steps = new LinkedHashMap<>();
            op.path("steps").forEach(s -> steps.merge(s.path("kind").asText(), s.path("millis").asLong(),
                    (a, b) -> Math.max((Long) a, (Long) b)));
            leg.put("phases_ms", steps);
            legs.add(leg);
            report.add(leg);
            out.printf("switchover %s -> %s: writes paused %s ms, took %s ms%n", leg.get("from"), leg.get("to"),
                    op.path("writePauseMillis").asText("?"), op.path("millis").asText("?"));
            out.flush();
            JsonNode settled = settle(daemon, (String) leg.get("to"));
            if (settled == null) {
                out.println("Drill stopped: the cluster did not become healthy within " + SETTLE.toSeconds()
                        + " s after the switchover to " + leg.get("to") + ": " + String.join("; ",
                        unhealthy(state(daemon))));
                out.flush();
                return WardenCommand.FAILED;
            }
        }
        out.println();
        report.print(out);
        out.println("The primary is " + original + " again; every replica replicates from it.");
        if (json != null) {
            report.writeJson(json);
            out.println("JSON: " + json.toAbsolutePath());
        }
        out.flush();
        return WardenCommand.OK;
    }

    private JsonNode state(DaemonClient daemon) throws Exception {
        DaemonClient.Response r = daemon.get("/api/clusters/" + cluster);
        if (r.status() != 200) {
            throw new IllegalStateException("the daemon answered HTTP " + r.status() + " for cluster " + cluster
                    + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** Why the cluster is not fit for a drill; empty when it is. */
    static List<String> unhealthy(JsonNode c) {
        List<String> out = new ArrayList<>();
        c.path("findings").forEach(f -> out.add(f.path("sentence").asText()));
        if (!c.path("running").isNull() && !c.path("running").isMissingNode()) {
            out.add("an operation is running: " + c.path("running").path("kind").asText() + " "
                    + c.path("running").path("id").asText());
        }
        if (c.path("controls").path("maintenance").asBoolean()) {
            out.add("the cluster is in maintenance");
        }
        c.path("servers").forEach(s -> {
            if (!"reachable".equals(s.path("reachability").asText())) {
                out.add(s.path("address").asText() + " is " + s.path("reachability").asText());
            } else if (!s.path("ioThread").isNull() && !("running".equals(s.path("ioThread").asText())
                    && "running".equals(s.path("sqlThread").asText()))) {
                out.add(s.path("address").asText() + ": IO " + s.path("ioThread").asText() + ", SQL "
                        + s.path("sqlThread").asText());
            }
        });
        return out;
    }

    /** Waits until the cluster is healthy with {@code primary} as its primary; null on timeout. */
    private JsonNode settle(DaemonClient daemon, String primary) throws Exception {
        long end = System.nanoTime() + SETTLE.toNanos();
        while (System.nanoTime() < end) {
            JsonNode c = state(daemon);
            if (primary.equals(c.path("primary").asText()) && unhealthy(c).isEmpty()) {
                return c;
            }
            Thread.sleep(500);
        }
        return null;
    }
}
