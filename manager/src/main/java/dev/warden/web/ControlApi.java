package dev.warden.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.actions.Operation;
import dev.warden.actions.StepRecord;
import dev.warden.engine.ClusterMonitor;
import dev.warden.engine.Monitor;
import dev.warden.model.InstanceKey;
import dev.warden.config.DurationText;
import dev.warden.engine.Actor;
import dev.warden.store.StoreException;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
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

    private static Actor who(Context ctx) {
        return new Actor("api", ctx.ip());
    }

    static void acknowledge(Context ctx, Monitor monitor) {
        cluster(ctx, monitor).ifPresent(c -> {
            c.acknowledge(who(ctx));
            ctx.json(Map.of("cluster", c.name(), "acknowledged", true, "detail",
                    "automatic failover is allowed again"));
        });
    }

    /** A control that could not be kept in the store was not applied: 503 with the store's reason. */
    static void storeUnavailable(StoreException e, Context ctx) {
        ctx.status(503).json(Map.of("error", "store unavailable", "detail", e.getMessage()));
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
        Instant until = null;
        if (body.hasNonNull("for")) {
            try {
                Duration d = DurationText.parse(body.get("for").asText());
                if (!on || d.isNegative() || d.isZero()) {
                    throw new IllegalArgumentException("'for' needs \"enabled\": true and a positive duration");
                }
                until = Instant.now().plus(d);
            } catch (IllegalArgumentException e) {
                ctx.status(400).json(Map.of("error", "malformed request", "detail", "for: " + e.getMessage()));
                return;
            }
        }
        String reason = body.hasNonNull("reason") ? body.get("reason").asText() : null;
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
            c.get().maintenance(key, on, until, who(ctx), reason);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("cluster", c.get().name());
            m.put("server", key.toString());
            m.put("maintenance", on);
            m.put("until", until == null ? null : until.toString());
            ctx.json(m);
        } else {
            c.get().maintenance(on, until, who(ctx), reason);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("cluster", c.get().name());
            m.put("maintenance", on);
            m.put("until", until == null ? null : until.toString());
            ctx.json(m);
        }
    }

    /** Newest first; {@code ?cluster=} and {@code ?limit=} (default 50, at most 500). */
    static void operations(Context ctx, Monitor monitor) {
        int limit = limit(ctx);
        if (limit < 0) {
            return;
        }
        String cluster = ctx.queryParam("cluster");
        ctx.json(monitor.operations().recent(cluster, limit).stream().map(ControlApi::view).toList());
    }

    static void operation(Context ctx, Monitor monitor) {
        String id = ctx.pathParam("id");
        Optional<Operation> op = monitor.operations().byId(id);
        if (op.isEmpty()) {
            ctx.status(404).json(Map.of("error", "unknown operation", "detail", "no operation " + id
                    + " in the store (it may be older than store.retention)"));
            return;
        }
        ctx.json(view(op.get()));
    }

    /** Findings, maintenance windows and acknowledgements of one cluster, from the store, newest first. */
    static void history(Context ctx, Monitor monitor) {
        int limit = limit(ctx);
        if (limit < 0) {
            return;
        }
        cluster(ctx, monitor).ifPresent(c -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("cluster", c.name());
            m.put("findings", monitor.store().findings().history(c.name(), limit));
            m.put("maintenance", monitor.store().controls().maintenanceHistory(c.name(), limit));
            m.put("acknowledgements", monitor.store().controls().acknowledgements(c.name(), limit));
            ctx.json(m);
        });
    }

    /** Who did what, newest first. */
    static void audit(Context ctx, Monitor monitor) {
        int limit = limit(ctx);
        if (limit >= 0) {
            ctx.json(monitor.store().audit().recent(limit));
        }
    }

    private static int limit(Context ctx) {
        String text = ctx.queryParam("limit");
        if (text == null) {
            return 50;
        }
        try {
            int n = Integer.parseInt(text.trim());
            if (n >= 1 && n <= 500) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        ctx.status(400).json(Map.of("error", "malformed request", "detail", "limit must be a number from 1 to 500; "
                + "got '" + text + "'"));
        return -1;
    }

    static Map<String, Object> view(Operation op) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", op.id());
        m.put("cluster", op.plan().cluster());
        m.put("kind", op.plan().kind().name());
        m.put("startedBy", op.startedBy());
        m.put("trigger", op.plan().trigger());
        m.put("plan", op.plan().summary());
        m.put("oldPrimary", op.plan().oldPrimary() == null ? null : op.plan().oldPrimary().toString());
        m.put("candidate", op.plan().candidate() == null ? null : op.plan().candidate().toString());
        m.put("dataLossBound", op.plan().kind() == dev.warden.plan.PlanKind.FAILOVER ? op.plan().dataLossBound() : null);
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
