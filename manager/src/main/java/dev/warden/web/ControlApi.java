package dev.warden.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.auth.Role;
import dev.warden.config.DurationText;
import dev.warden.decision.Decision;
import dev.warden.engine.ClusterMonitor;
import dev.warden.engine.Monitor;
import dev.warden.engine.RequestResult;
import dev.warden.model.InstanceKey;
import dev.warden.store.StoreException;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Operator controls and requests: acknowledge, maintenance, switchover, failover, and the failover plan that
 * would run now. Bad input is answered 400 before anything is touched; a refused precheck 422 with the reasons;
 * another operation in progress 409.
 */
final class ControlApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ControlApi() {
    }

    static Optional<ClusterMonitor> cluster(Context ctx, Monitor monitor) {
        String name = ctx.pathParam("name");
        Optional<ClusterMonitor> c = monitor.cluster(name);
        if (c.isEmpty()) {
            Errors.send(ctx, 404, "unknown cluster", "no cluster named '" + name + "' in the configuration");
        }
        return c;
    }

    /**
     * A cluster this manager may change: with several managers, only its leader does. Otherwise 503, saying who
     * leads it and where (or that coordination is down), and nothing is changed.
     */
    static Optional<ClusterMonitor> ledCluster(Context ctx, Monitor monitor) {
        Optional<ClusterMonitor> c = cluster(ctx, monitor);
        if (c.isEmpty()) {
            return c;
        }
        dev.warden.decision.Leadership l = c.get().leadership();
        String why = l.whyNotActing(c.get().name());
        if (why == null) {
            return c;
        }
        if (l.problem() != null) {
            Errors.send(ctx, 503, "coordination down", why + "; nothing was changed");
        } else {
            String url = monitor.coordination().managers().stream().filter(m -> m.name().equals(l.leader()))
                    .map(dev.warden.coordination.Coordination.ManagerInfo::url).filter(java.util.Objects::nonNull)
                    .findFirst().orElse(null);
            Errors.send(ctx, 503, "not the leader", why + "; nothing was changed: send it to "
                    + (l.leader() == null ? "the leader once elected" : l.leader() + (url == null ? "" : " (" + url
                    + ")")));
        }
        return Optional.empty();
    }

    /** The JSON body (an empty body is {}), or null after answering 400. */
    private static JsonNode body(Context ctx, String example) {
        try {
            JsonNode n = ctx.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(ctx.body());
            if (n != null && n.isObject()) {
                return n;
            }
        } catch (Exception e) {
            // answered below
        }
        Errors.malformed(ctx, "the body must be a JSON object like " + example);
        return null;
    }

    /** A control that could not be kept in the store was not applied: 503 with the store's reason. */
    static void storeUnavailable(StoreException e, Context ctx) {
        Errors.send(ctx, 503, "store unavailable", e.getMessage());
    }

    static void acknowledge(Context ctx, Monitor monitor) {
        ledCluster(ctx, monitor).ifPresent(c -> {
            c.acknowledge(Access.actor(ctx));
            ctx.json(Map.of("cluster", c.name(), "acknowledged", true, "detail",
                    "automatic failover is allowed again"));
        });
    }

    static void maintenance(Context ctx, Monitor monitor) {
        Optional<ClusterMonitor> c = ledCluster(ctx, monitor);
        if (c.isEmpty()) {
            return;
        }
        JsonNode body = body(ctx, "{\"enabled\": true, \"server\": \"host:port\", \"for\": \"2h\", \"reason\": \"...\"}");
        if (body == null) {
            return;
        }
        if (!body.path("enabled").isBoolean()) {
            Errors.malformed(ctx, "'enabled' (true or false) is required");
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
                Errors.malformed(ctx, "for: " + e.getMessage());
                return;
            }
        }
        String reason = body.hasNonNull("reason") ? body.get("reason").asText() : null;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cluster", c.get().name());
        if (body.hasNonNull("server")) {
            Optional<InstanceKey> key = server(ctx, c.get(), body.get("server").asText());
            if (key.isEmpty()) {
                return;
            }
            c.get().maintenance(key.get(), on, until, Access.actor(ctx), reason);
            m.put("server", key.get().toString());
        } else {
            c.get().maintenance(on, until, Access.actor(ctx), reason);
        }
        m.put("maintenance", on);
        m.put("until", until == null ? null : until.toString());
        ctx.json(m);
    }

    /** A server of the cluster, or empty after answering 400 (malformed) or 404 (not in the cluster). */
    private static Optional<InstanceKey> server(Context ctx, ClusterMonitor c, String text) {
        InstanceKey key;
        try {
            key = InstanceKey.parse(text);
        } catch (IllegalArgumentException e) {
            Errors.malformed(ctx, e.getMessage());
            return Optional.empty();
        }
        if (c.latest().map(l -> !l.topology().nodes().containsKey(key)).orElse(true) && c.config().server(key).isEmpty()) {
            Errors.send(ctx, 404, "unknown server", key + " is not a server of cluster " + c.name());
            return Optional.empty();
        }
        return Optional.of(key);
    }

    static void switchover(Context ctx, Monitor monitor) {
        Optional<ClusterMonitor> c = ledCluster(ctx, monitor);
        if (c.isEmpty()) {
            return;
        }
        JsonNode body = body(ctx, "{\"to\": \"host:port\", \"dryRun\": false}");
        if (body == null) {
            return;
        }
        InstanceKey to = null;
        if (body.hasNonNull("to") && !body.get("to").asText().isBlank()) {
            Optional<InstanceKey> k = server(ctx, c.get(), body.get("to").asText());
            if (k.isEmpty()) {
                return;
            }
            to = k.get();
        }
        answer(ctx, c.get().switchover(to, body.path("dryRun").asBoolean(false), Access.actor(ctx)));
    }

    /**
     * A failover asked for by a person: of a primary confirmed gone (operator), or forced while it looks healthy
     * ({@code force: true} with a {@code reason}; admin only).
     */
    static void failover(Context ctx, Monitor monitor) {
        JsonNode body = body(ctx, "{\"force\": false, \"reason\": \"...\", \"dryRun\": false}");
        if (body == null) {
            return;
        }
        boolean force = body.path("force").asBoolean(false);
        String reason = body.hasNonNull("reason") ? body.get("reason").asText().trim() : "";
        if (body.path("withoutCoordination").asBoolean(false)) {
            withoutCoordination(ctx, monitor, force, reason, body.path("dryRun").asBoolean(false));
            return;
        }
        Optional<ClusterMonitor> c = ledCluster(ctx, monitor);
        if (c.isEmpty()) {
            return;
        }
        if (force && !Access.principal(ctx).role().includes(Role.ADMIN)) {
            Errors.send(ctx, 403, "forbidden", Access.principal(ctx).name() + " is not an admin; a forced failover "
                    + "needs admin");
            return;
        }
        if (force && reason.length() < 5) {
            Errors.malformed(ctx, "a forced failover needs a 'reason' (a sentence for the audit)");
            return;
        }
        answer(ctx, c.get().failover(Access.actor(ctx), force, reason.isEmpty() ? null : reason,
                body.path("dryRun").asBoolean(false)));
    }

    /**
     * Break-glass ({@code withoutCoordination: true}): an admin fails over through this manager although it does not
     * lead the cluster (ZooKeeper lost, say), with a reason; refused while another manager visibly leads it.
     */
    private static void withoutCoordination(Context ctx, Monitor monitor, boolean force, String reason,
                                            boolean dryRun) {
        Optional<ClusterMonitor> c = cluster(ctx, monitor);
        if (c.isEmpty()) {
            return;
        }
        if (!Access.principal(ctx).role().includes(Role.ADMIN)) {
            Errors.send(ctx, 403, "forbidden", Access.principal(ctx).name() + " is not an admin; a failover without "
                    + "coordination needs admin");
            return;
        }
        if (reason.length() < 5) {
            Errors.malformed(ctx, "a failover without coordination needs a 'reason' (a sentence for the audit)");
            return;
        }
        answer(ctx, c.get().failoverWithoutCoordination(Access.actor(ctx), force, reason, dryRun));
    }

    private static void answer(Context ctx, RequestResult r) {
        if (r instanceof RequestResult.Refused refused) {
            Errors.refused(ctx, refused.reasons());
        } else if (r instanceof RequestResult.Busy busy) {
            Errors.send(ctx, 409, "operation in progress", busy.reason());
        } else if (r instanceof RequestResult.Planned planned) {
            ctx.json(Map.of("dryRun", true, "plan", PlanJson.of(planned.plan())));
        } else {
            ctx.json(OperationJson.of(((RequestResult.Ran) r).operation()));
        }
    }

    /** The failover that would run if the primary died now (from the last cycle; nothing is probed). */
    static void plan(Context ctx, Monitor monitor) {
        cluster(ctx, monitor).ifPresent(c -> {
            Optional<Decision> d = c.failoverPlanNow();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("cluster", c.name());
            if (d.isEmpty()) {
                Errors.send(ctx, 503, "not probed yet", "the first probe cycle has not finished");
                return;
            }
            if (d.get() instanceof Decision.Act act) {
                m.put("plan", PlanJson.of(act.plan()));
                m.put("reason", null);
            } else {
                m.put("plan", null);
                m.put("reason", d.get().sentence());
            }
            ctx.json(m);
        });
    }
}
