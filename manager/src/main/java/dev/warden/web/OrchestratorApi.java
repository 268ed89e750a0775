package dev.warden.web;

import dev.warden.actions.Operation;
import dev.warden.engine.ClusterMonitor;
import dev.warden.engine.Monitor;
import dev.warden.model.InstanceKey;
import dev.warden.plan.PlanKind;
import dev.warden.topology.TopologyNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A read-only subset of Orchestrator's HTTP API under {@code /orchestrator/api/}, in its JSON shapes, for the
 * scripts and operators that call it: point their base URL at {@code http://warden:PORT/orchestrator}. Behind
 * Warden's access control (viewer; {@code health} is public). Errors answer as Orchestrator does: HTTP 500 with
 * {@code {"Code": "ERROR", "Message": ...}}.
 */
final class OrchestratorApi {

    static final String PREFIX = "/orchestrator/api";
    /** Orchestrator's AuditPageSize default. */
    static final int PAGE = 20;

    private OrchestratorApi() {
    }

    static void register(RoutesConfig r, Monitor monitor) {
        r.get(PREFIX + "/health", ctx -> health(ctx, monitor), RequiredRole.PUBLIC);
        r.get(PREFIX + "/clusters", ctx -> ctx.json(monitor.clusters().stream().map(ClusterMonitor::name).toList()),
                RequiredRole.VIEWER);
        r.get(PREFIX + "/master/{hint}", ctx -> master(ctx, monitor), RequiredRole.VIEWER);
        r.get(PREFIX + "/cluster/{hint}", ctx -> cluster(ctx, monitor), RequiredRole.VIEWER);
        r.get(PREFIX + "/instance/{host}/{port}", ctx -> instance(ctx, monitor), RequiredRole.VIEWER);
        r.get(PREFIX + "/replication-analysis", ctx -> analysis(ctx, monitor, null), RequiredRole.VIEWER);
        r.get(PREFIX + "/replication-analysis/{hint}", ctx -> analysis(ctx, monitor, ctx.pathParam("hint")),
                RequiredRole.VIEWER);
        r.get(PREFIX + "/audit-recovery", ctx -> recoveries(ctx, monitor, null, "0"), RequiredRole.VIEWER);
        r.get(PREFIX + "/audit-recovery/{page}", ctx -> recoveries(ctx, monitor, null, ctx.pathParam("page")),
                RequiredRole.VIEWER);
        r.get(PREFIX + "/audit-recovery/cluster/{hint}", ctx -> recoveries(ctx, monitor, ctx.pathParam("hint"), "0"),
                RequiredRole.VIEWER);
        r.get(PREFIX + "/audit-recovery/cluster/{hint}/{page}", ctx -> recoveries(ctx, monitor,
                ctx.pathParam("hint"), ctx.pathParam("page")), RequiredRole.VIEWER);
        r.get(PREFIX + "/audit-recovery/uid/{uid}", ctx -> recovery(ctx, monitor), RequiredRole.VIEWER);
    }

    private static void error(Context ctx, String message) {
        ctx.status(500).json(OrchestratorJson.response(false, message, null));
    }

    /** The cluster a hint names: a cluster's name, or the address (host:port, or host for port 3306) of a server. */
    static Optional<ClusterMonitor> resolve(Monitor monitor, String hint) {
        Optional<ClusterMonitor> byName = monitor.cluster(hint);
        if (byName.isPresent()) {
            return byName;
        }
        InstanceKey k = address(hint);
        if (k == null) {
            return Optional.empty();
        }
        for (ClusterMonitor c : monitor.clusters()) {
            boolean has = c.config().server(k).isPresent() || c.latest().map(x -> x.topology().nodes()
                    .containsKey(x.topology().canonical(k))).orElse(false);
            if (has) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    private static InstanceKey address(String text) {
        try {
            return InstanceKey.parse(text.contains(":") && !text.startsWith("[") && text.indexOf(':') == text
                    .lastIndexOf(':') ? text : text + ":3306");
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The cluster with its latest cycle, or an Orchestrator-shaped error already sent. */
    private static Optional<OrchestratorJson.ClusterFacts> facts(Context ctx, Monitor monitor, String hint) {
        Optional<ClusterMonitor> c = resolve(monitor, hint);
        if (c.isEmpty()) {
            error(ctx, "Unable to determine cluster name for '" + hint + "': no cluster of that name and no server "
                    + "at that address; clusters: " + String.join(", ", monitor.clusters().stream()
                    .map(ClusterMonitor::name).toList()));
            return Optional.empty();
        }
        Optional<OrchestratorJson.ClusterFacts> f = facts(monitor, c.get());
        if (f.isEmpty()) {
            error(ctx, "cluster " + c.get().name() + " is not probed yet; ask again in a moment");
        }
        return f;
    }

    private static Optional<OrchestratorJson.ClusterFacts> facts(Monitor monitor, ClusterMonitor c) {
        return c.latest().map(cycle -> new OrchestratorJson.ClusterFacts(c.config(), cycle.topology(),
                cycle.findings(), c.controls(), monitor.config().failover().automatic() && !c.observeMode(),
                Instant.now()));
    }

    private static void master(Context ctx, Monitor monitor) {
        facts(ctx, monitor, ctx.pathParam("hint")).ifPresent(f -> {
            Optional<TopologyNode> p = f.topology().primary();
            if (p.isEmpty()) {
                error(ctx, "No masters found for " + f.config().name());
            } else {
                ctx.json(OrchestratorJson.instance(f, p.get()));
            }
        });
    }

    private static void cluster(Context ctx, Monitor monitor) {
        facts(ctx, monitor, ctx.pathParam("hint")).ifPresent(f -> ctx.json(f.topology().treeOrder().stream()
                .map(n -> OrchestratorJson.instance(f, n)).toList()));
    }

    private static void instance(Context ctx, Monitor monitor) {
        String text = ctx.pathParam("host") + ":" + ctx.pathParam("port");
        InstanceKey k;
        try {
            k = InstanceKey.parse(text);
        } catch (RuntimeException e) {
            error(ctx, "Cannot read instance: " + text + " is not host/port (" + e.getMessage() + ")");
            return;
        }
        for (ClusterMonitor c : monitor.clusters()) {
            Optional<OrchestratorJson.ClusterFacts> f = facts(monitor, c);
            if (f.isEmpty()) {
                continue;
            }
            TopologyNode n = f.get().topology().nodes().get(f.get().topology().canonical(k));
            if (n != null) {
                ctx.json(OrchestratorJson.instance(f.get(), n));
                return;
            }
        }
        error(ctx, "Cannot read instance: " + k + " (no cluster Warden watches has it)");
    }

    private static void analysis(Context ctx, Monitor monitor, String hint) {
        List<ClusterMonitor> which;
        if (hint == null) {
            which = monitor.clusters();
        } else {
            Optional<ClusterMonitor> c = resolve(monitor, hint);
            if (c.isEmpty()) {
                error(ctx, "Cannot get analysis: no cluster or server '" + hint + "'");
                return;
            }
            which = List.of(c.get());
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (ClusterMonitor c : which) {
            facts(monitor, c).ifPresent(f -> f.findings().forEach(x -> out.add(OrchestratorJson.analysis(f, x))));
        }
        ctx.json(OrchestratorJson.response(true, "Analysis", out));
    }

    private static void recoveries(Context ctx, Monitor monitor, String hint, String pageText) {
        int page;
        try {
            page = Math.max(0, Integer.parseInt(pageText));
        } catch (NumberFormatException e) {
            page = 0; // as Orchestrator: a page that is not a number is the first
        }
        String cluster = null;
        if (hint != null) {
            Optional<ClusterMonitor> c = resolve(monitor, hint);
            if (c.isEmpty()) {
                error(ctx, "no cluster or server '" + hint + "'");
                return;
            }
            cluster = c.get().name();
        }
        List<Operation> failovers = monitor.operations().recent(cluster, (page + 1) * PAGE * 4).stream()
                .filter(o -> o.plan().kind() == PlanKind.FAILOVER).skip((long) page * PAGE).limit(PAGE).toList();
        List<Map<String, Object>> out = new ArrayList<>();
        for (Operation o : failovers) {
            out.add(recovery(monitor, o));
        }
        ctx.json(out);
    }

    private static void recovery(Context ctx, Monitor monitor) {
        Optional<Operation> op = monitor.operations().byId(ctx.pathParam("uid"))
                .filter(o -> o.plan().kind() == PlanKind.FAILOVER);
        ctx.json(op.map(o -> List.of(recovery(monitor, o))).orElse(List.of()));
    }

    private static Map<String, Object> recovery(Monitor monitor, Operation o) {
        OrchestratorJson.ClusterFacts f = monitor.cluster(o.plan().cluster()).flatMap(c -> facts(monitor, c))
                .orElse(null);
        // Orchestrator numbers recoveries; Warden's ids are names: the number is derived from the id, stable.
        long id = Integer.toUnsignedLong(o.id().hashCode());
        return OrchestratorJson.recovery(f, o, id, processingNode(monitor));
    }

    private static String processingNode(Monitor monitor) {
        String self = monitor.coordination().self();
        return self != null ? self : dev.warden.hooks.OrchestratorHookVars.hostName();
    }

    private static void health(Context ctx, Monitor monitor) {
        List<String> problems = WebServer.readinessProblems(monitor);
        boolean healthy = problems.isEmpty();
        boolean active = monitor.coordination().self() == null
                || monitor.clusters().stream().anyMatch(c -> c.leadership().leads());
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("Healthy", healthy);
        d.put("Hostname", processingNode(monitor));
        d.put("Token", "");
        d.put("IsActiveNode", active);
        d.put("ActiveNode", Map.of("Hostname", active ? processingNode(monitor) : ""));
        d.put("Error", healthy ? null : String.join("; ", problems));
        d.put("AvailableNodes", List.of());
        d.put("RaftLeader", "");
        d.put("IsRaftLeader", false);
        d.put("RaftLeaderURI", "");
        d.put("RaftAdvertise", "");
        d.put("RaftHealthyMembers", List.of());
        ctx.status(healthy ? 200 : 500).json(OrchestratorJson.response(healthy, healthy
                ? "Application node is healthy" : "Application node is unhealthy " + String.join("; ", problems), d));
    }
}
