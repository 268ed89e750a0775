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
        r.get(PREFIX + "/lb-check", ctx -> ctx.json("OK"), RequiredRole.PUBLIC);
        r.get(PREFIX + "/leader-check", ctx -> leaderCheck(ctx, monitor, 404), RequiredRole.PUBLIC);
        r.get(PREFIX + "/leader-check/{status}", ctx -> {
            int status;
            try {
                status = Integer.parseInt(ctx.pathParam("status"));
            } catch (NumberFormatException e) {
                status = 404;
            }
            leaderCheck(ctx, monitor, status < 100 || status > 599 ? 404 : status);
        }, RequiredRole.PUBLIC);
        r.get(PREFIX + "/clusters", ctx -> ctx.json(all(monitor).stream()
                .map(OrchestratorJson.ClusterFacts::clusterName).toList()), RequiredRole.VIEWER);
        r.get(PREFIX + "/clusters-info", ctx -> ctx.json(all(monitor).stream().map(OrchestratorJson::clusterDetails)
                .toList()), RequiredRole.VIEWER);
        r.get(PREFIX + "/cluster-info/{hint}", ctx -> facts(ctx, monitor, ctx.pathParam("hint"))
                .ifPresent(f -> ctx.json(OrchestratorJson.clusterDetails(f))), RequiredRole.VIEWER);
        r.get(PREFIX + "/masters", ctx -> ctx.json(all(monitor).stream().flatMap(f -> f.master().stream()
                .map(n -> OrchestratorJson.instance(f, n))).toList()), RequiredRole.VIEWER);
        r.get(PREFIX + "/all-instances", ctx -> ctx.json(all(monitor).stream().flatMap(f -> f.topology().treeOrder()
                .stream().map(n -> OrchestratorJson.instance(f, n))).toList()), RequiredRole.VIEWER);
        r.get(PREFIX + "/master/{hint}", ctx -> master(ctx, monitor), RequiredRole.VIEWER);
        r.get(PREFIX + "/cluster/{hint}", ctx -> cluster(ctx, monitor), RequiredRole.VIEWER);
        r.get(PREFIX + "/instance/{host}/{port}", ctx -> instance(ctx, monitor, false), RequiredRole.VIEWER);
        r.get(PREFIX + "/instance-replicas/{host}/{port}", ctx -> instance(ctx, monitor, true), RequiredRole.VIEWER);
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
        r.get(PREFIX + "/audit-recovery/uid/{uid}", ctx -> recovery(ctx, monitor, "UID", ctx.pathParam("uid")),
                RequiredRole.VIEWER);
        r.get(PREFIX + "/audit-recovery/id/{id}", ctx -> recovery(ctx, monitor, "Id", ctx.pathParam("id")),
                RequiredRole.VIEWER);
        // Anything else of Orchestrator's API (the calls that change servers among them) is not served.
        r.get(PREFIX + "/<rest>", ctx -> error(ctx, "Warden does not serve " + ctx.path() + ": it answers a read-only "
                + "subset of Orchestrator's API (see the README, \"Coming from Orchestrator\"); use Warden's own API "
                + "and commands for the rest"), RequiredRole.VIEWER);
    }

    private static List<OrchestratorJson.ClusterFacts> all(Monitor monitor) {
        return monitor.clusters().stream().flatMap(c -> facts(monitor, c).stream()).toList();
    }

    private static void leaderCheck(Context ctx, Monitor monitor, int notLeader) {
        boolean leads = monitor.coordination().self() == null
                || monitor.clusters().stream().anyMatch(c -> c.leadership().leads());
        ctx.status(leads ? 200 : notLeader).json(leads ? "OK" : "Not leader");
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
        for (ClusterMonitor c : monitor.clusters()) {
            // Orchestrator's name for it: the primary's host:port
            if (c.latest().flatMap(x -> x.topology().primary()).map(p -> p.key().toString().equals(hint))
                    .orElse(false)) {
                return Optional.of(c);
            }
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
            boolean withPort = text.startsWith("[") ? text.contains("]:")
                    : text.contains(":") && text.indexOf(':') == text.lastIndexOf(':');
            return InstanceKey.parse(withPort ? text : text + ":3306");
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
                Instant.now(), c::lastReachable, acknowledgements(monitor, c.name())));
    }

    private static List<dev.warden.store.ControlStore.AcknowledgementRecord> acknowledgements(Monitor monitor,
                                                                                             String cluster) {
        try {
            return monitor.store().controls().acknowledgements(cluster, 100);
        } catch (RuntimeException e) {
            return List.of(); // the store is down: recoveries show as not acknowledged
        }
    }

    private static void master(Context ctx, Monitor monitor) {
        facts(ctx, monitor, ctx.pathParam("hint")).ifPresent(f -> {
            Optional<TopologyNode> p = f.master();
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

    private static void instance(Context ctx, Monitor monitor, boolean replicas) {
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
                OrchestratorJson.ClusterFacts facts = f.get();
                ctx.json(replicas ? n.replicas().stream().sorted().map(r -> facts.topology().nodes().get(r))
                        .filter(java.util.Objects::nonNull).map(r -> OrchestratorJson.instance(facts, r)).toList()
                        : OrchestratorJson.instance(facts, n));
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
            // As Orchestrator: an unknown cluster has no analysis (OK, empty).
            which = resolve(monitor, hint).map(List::of).orElse(List.of());
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
                ctx.json(List.of()); // as Orchestrator: no recoveries of an unknown cluster
                return;
            }
            cluster = c.get().name();
        }
        boolean unacknowledged = "true".equals(ctx.queryParam("unacknowledged"));
        List<Map<String, Object>> all = numbered(monitor, cluster);
        ctx.json(all.stream().filter(m -> !unacknowledged || !Boolean.TRUE.equals(m.get("Acknowledged")))
                .skip((long) page * PAGE).limit(PAGE).toList());
    }

    /** The recoveries whose {@code field} ("UID" or "Id") is {@code value} (Orchestrator answers a list). */
    private static void recovery(Context ctx, Monitor monitor, String field, String value) {
        ctx.json(numbered(monitor, null).stream().filter(m -> value.equals(String.valueOf(m.get(field)))).toList());
    }

    /** Failovers and switchovers as recoveries, newest first, numbered 1, 2, ... in the order they started. */
    private static List<Map<String, Object>> numbered(Monitor monitor, String cluster) {
        List<Operation> ops = new ArrayList<>(monitor.operations().recent(null, HISTORY).stream()
                .filter(o -> o.plan().kind() == PlanKind.FAILOVER || o.plan().kind() == PlanKind.SWITCHOVER).toList());
        ops.sort(java.util.Comparator.comparing(Operation::startedAt));
        Map<String, OrchestratorJson.ClusterFacts> facts = new LinkedHashMap<>();
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            Operation o = ops.get(i);
            if (cluster != null && !cluster.equals(o.plan().cluster())) {
                continue;
            }
            OrchestratorJson.ClusterFacts f = facts.computeIfAbsent(o.plan().cluster(), c -> monitor.cluster(c)
                    .flatMap(m -> facts(monitor, m)).orElse(null));
            out.add(0, OrchestratorJson.recovery(f, o, i + 1, processingNode(monitor)));
        }
        return out;
    }

    /** How many operations the numbering reads back. */
    static final int HISTORY = 5000;

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
        String leader = active ? processingNode(monitor) : monitor.clusters().stream().map(c -> c.leadership().leader())
                .filter(java.util.Objects::nonNull).findFirst().orElse("");
        d.put("ActiveNode", Map.of("Hostname", leader));
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
