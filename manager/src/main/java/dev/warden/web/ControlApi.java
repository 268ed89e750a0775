package dev.warden.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.actions.Operation;
import dev.warden.actions.StepRecord;
import dev.warden.engine.ClusterMonitor;
import dev.warden.engine.Monitor;
import dev.warden.model.InstanceKey;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Operator controls over HTTP (what {@code warden ack} and {@code warden maintenance} call) and the operations
 * record. Errors are JSON {@code {error, detail}} with the matching status.
 */
final class ControlApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ControlApi() {
    }

    private static Optional<ClusterMonitor> cluster(Context ctx, Monitor monitor) {
        String name = ctx.pathParam("name");
        Optional<ClusterMonitor> c = monitor.cluster(name);
        if (c.isEmpty()) {
            ctx.status(404).json(Map.of("error", "unknown cluster", "detail", "no cluster named '" + name
                    + "' in the configuration"));
        }
        return c;
    }

    private static String who(Context ctx) {
        return "api from " + ctx.ip();
    }

    static void acknowledge(Context ctx, Monitor monitor) {
        cluster(ctx, monitor).ifPresent(c -> {
            c.acknowledge(who(ctx));
            ctx.json(Map.of("cluster", c.name(), "acknowledged", true, "detail",
                    "automatic failover is allowed again"));
        });
    }

    static void maintenance(Context ctx, Monitor monitor) {
        Optional<ClusterMonitor> c = cluster(ctx, monitor);
        if (c.isEmpty()) {
            return;
        }
        JsonNode body;
        try {
            body = JSON.readTree(ctx.body());
        } catch (Exception e) {
            ctx.status(400).json(Map.of("error", "malformed request", "detail",
                    "the body must be JSON like {\"enabled\": true, \"server\": \"host:port\"}"));
            return;
        }
        if (body == null || !body.has("enabled") || !body.get("enabled").isBoolean()) {
            ctx.status(400).json(Map.of("error", "malformed request", "detail",
                    "'enabled' (true or false) is required"));
            return;
        }
        boolean on = body.get("enabled").asBoolean();
        if (body.hasNonNull("server")) {
            InstanceKey key;
            try {
                key = InstanceKey.parse(body.get("server").asText());
            } catch (IllegalArgumentException e) {
                ctx.status(400).json(Map.of("error", "malformed request", "detail", e.getMessage()));
                return;
            }
            if (c.get().latest().map(l -> !l.topology().nodes().containsKey(key)).orElse(true)
                    && c.get().config().server(key).isEmpty()) {
                ctx.status(404).json(Map.of("error", "unknown server", "detail", key + " is not a server of cluster "
                        + c.get().name()));
                return;
            }
            c.get().maintenance(key, on, who(ctx));
            ctx.json(Map.of("cluster", c.get().name(), "server", key.toString(), "maintenance", on));
        } else {
            c.get().maintenance(on, who(ctx));
            ctx.json(Map.of("cluster", c.get().name(), "maintenance", on));
        }
    }

    static void operations(Context ctx, Monitor monitor) {
        List<Map<String, Object>> out = monitor.operations().all().stream().map(ControlApi::view).toList();
        ctx.json(out);
    }

    static Map<String, Object> view(Operation op) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", op.id());
        m.put("cluster", op.plan().cluster());
        m.put("kind", op.plan().kind().name());
        m.put("startedBy", op.startedBy());
        m.put("trigger", op.plan().trigger());
        m.put("plan", op.plan().summary());
        m.put("startedAt", op.startedAt().toString());
        m.put("endedAt", op.endedAt() == null ? null : op.endedAt().toString());
        m.put("outcome", op.outcome().name());
        m.put("summary", op.summary());
        m.put("evidence", op.evidence().stream().map(Object::toString).toList());
        m.put("writePauseMillis", op.writePause() == null ? null : op.writePause().toMillis());
        m.put("steps", op.steps().stream().map(ControlApi::step).toList());
        m.put("hooks", op.hooks().stream().map(h -> {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("hook", h.hook());
            x.put("event", h.event());
            x.put("status", h.status().name());
            x.put("attempts", h.attempts());
            x.put("millis", h.took().toMillis());
            x.put("gate", h.gate());
            x.put("error", h.detail());
            return x;
        }).toList());
        return m;
    }

    static Map<String, Object> plan(dev.warden.plan.Plan p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("summary", p.summary());
        m.put("oldPrimary", p.oldPrimary() == null ? null : p.oldPrimary().toString());
        m.put("candidate", p.candidate() == null ? null : p.candidate().toString());
        m.put("why", p.why());
        m.put("dataLossBound", p.dataLossBound());
        m.put("excluded", p.excluded().stream().map(Object::toString).toList());
        m.put("leftBehind", p.leftBehind().stream().map(Object::toString).toList());
        m.put("steps", p.steps().stream().map(s -> s.describe() + " (within " + s.timeout().toMillis() + " ms)").toList());
        return m;
    }

    static void switchover(Context ctx, Monitor monitor) {
        Optional<ClusterMonitor> c = cluster(ctx, monitor);
        if (c.isEmpty()) {
            return;
        }
        JsonNode body;
        try {
            body = ctx.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(ctx.body());
        } catch (Exception e) {
            ctx.status(400).json(Map.of("error", "malformed request", "detail",
                    "the body must be JSON like {\"to\": \"host:port\", \"dryRun\": false}"));
            return;
        }
        InstanceKey to = null;
        if (body.hasNonNull("to")) {
            try {
                to = InstanceKey.parse(body.get("to").asText());
            } catch (IllegalArgumentException e) {
                ctx.status(400).json(Map.of("error", "malformed request", "detail", "to: " + e.getMessage()));
                return;
            }
        }
        boolean dryRun = body.path("dryRun").asBoolean(false);
        ClusterMonitor.SwitchoverResult r = c.get().switchover(to, dryRun, who(ctx));
        if (r instanceof ClusterMonitor.SwitchoverResult.Refused refused) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("error", "refused by precheck");
            m.put("detail", String.join("; ", refused.reasons()) + "; nothing was changed");
            m.put("reasons", refused.reasons());
            ctx.status(422).json(m);
        } else if (r instanceof ClusterMonitor.SwitchoverResult.Busy busy) {
            ctx.status(409).json(Map.of("error", "operation in progress", "detail", busy.reason()));
        } else if (r instanceof ClusterMonitor.SwitchoverResult.Planned planned) {
            ctx.json(Map.of("dryRun", true, "plan", plan(planned.plan())));
        } else {
            ctx.json(view(((ClusterMonitor.SwitchoverResult.Ran) r).operation()));
        }
    }

    private static Map<String, Object> step(StepRecord r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("step", r.step().describe());
        m.put("status", r.status().name());
        m.put("detail", r.detail());
        m.put("startedAt", r.startedAt() == null ? null : r.startedAt().toString());
        m.put("millis", r.took() == null ? null : r.took().toMillis());
        return m;
    }
}
