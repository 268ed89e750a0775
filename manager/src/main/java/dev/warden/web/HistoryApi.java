package dev.warden.web;

import dev.warden.actions.Operation;
import dev.warden.engine.Monitor;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** What happened, from the store: operations, a cluster's findings and controls history, and the audit. */
final class HistoryApi {

    private HistoryApi() {
    }

    /** Newest first; {@code ?cluster=} and {@code ?limit=} (default 50, at most 500). */
    static void operations(Context ctx, Monitor monitor) {
        int limit = limit(ctx);
        if (limit < 0) {
            return;
        }
        String cluster = ctx.queryParam("cluster");
        if (cluster != null && monitor.cluster(cluster).isEmpty()) {
            Errors.send(ctx, 404, "unknown cluster", "no cluster named '" + cluster + "' in the configuration");
            return;
        }
        ctx.json(monitor.operations().recent(cluster, limit).stream().map(OperationJson::of).toList());
    }

    static void operation(Context ctx, Monitor monitor) {
        String id = ctx.pathParam("id");
        Optional<Operation> op = monitor.operations().byId(id);
        if (op.isEmpty()) {
            Errors.send(ctx, 404, "unknown operation", "no operation " + id + " in the store (it may be older "
                    + "than store.retention)");
            return;
        }
        ctx.json(OperationJson.of(op.get()));
    }

    /** Findings, maintenance windows and acknowledgements of one cluster, newest first. */
    static void history(Context ctx, Monitor monitor) {
        int limit = limit(ctx);
        if (limit < 0) {
            return;
        }
        ControlApi.cluster(ctx, monitor).ifPresent(c -> {
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
            // answered below
        }
        Errors.malformed(ctx, "limit must be a number from 1 to 500; got '" + text + "'");
        return -1;
    }
}
