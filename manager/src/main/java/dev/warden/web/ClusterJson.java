package dev.warden.web;

import dev.warden.decision.ClusterControls;
import dev.warden.decision.Finding;
import dev.warden.decision.Vote;
import dev.warden.engine.ClusterMonitor;
import dev.warden.model.InstanceKey;
import dev.warden.model.InstanceSnapshot;
import dev.warden.model.ReplicaStatus;
import dev.warden.model.ServerState;
import dev.warden.topology.Topology;
import dev.warden.topology.TopologyNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the API and the stream show of a cluster: servers in tree order (role, reachability, threads, lag, GTIDs,
 * read-only, promotion rule, maintenance), findings with their vote tables, operator controls, the running
 * operation and the cycle's sentence. Plain maps, ready for JSON; no secrets.
 */
public final class ClusterJson {

    private ClusterJson() {
    }

    static Map<String, Object> of(ClusterMonitor cluster, ClusterMonitor.Cycle c) {
        Map<String, Object> m = of(cluster.config(), c, cluster.controls(), cluster.running().orElse(null));
        m.put("mode", cluster.observeMode() ? "observe" : "act");
        if (cluster.observeMode()) {
            m.put("observed", cluster.observed().stream().map(e -> {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("at", e.at().toString());
                x.put("kind", e.kind());
                x.put("server", e.server() == null ? null : e.server().toString());
                x.put("to", e.to() == null ? null : e.to().toString());
                x.put("text", e.text());
                return x;
            }).toList());
        }
        dev.warden.decision.Leadership l = cluster.leadership();
        if (l != dev.warden.decision.Leadership.ALONE) {
            Map<String, Object> lead = new LinkedHashMap<>();
            lead.put("leadsHere", l.leads());
            lead.put("leader", l.leader());
            lead.put("epoch", l.epoch());
            lead.put("problem", l.problem());
            m.put("leadership", lead);
        }
        return m;
    }

    /** A cluster as one probe saw it ({@code warden status --json}), or as the daemon sees it. */
    public static Map<String, Object> of(dev.warden.config.ClusterConfig config, ClusterMonitor.Cycle c,
                                         ClusterControls controls, dev.warden.actions.Operation running) {
        Topology t = c.topology();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", t.cluster());
        m.put("cycle", c.number());
        m.put("takenAt", t.takenAt().toString());
        m.put("health", health(c.findings()));
        m.put("primary", t.primary().map(p -> p.key().toString()).orElse(null));
        m.put("summary", c.sentence());
        m.put("decision", c.decision().sentence());
        List<Map<String, Object>> servers = new ArrayList<>();
        for (TopologyNode n : t.treeOrder()) {
            servers.add(server(config, t, n, controls));
        }
        m.put("servers", servers);
        m.put("findings", c.findings().stream().map(ClusterJson::finding).toList());
        m.put("controls", controls(controls, Instant.now()));
        m.put("running", running == null ? null : Map.of("id", running.id(), "kind", running.plan().kind().name(),
                "plan", running.plan().summary()));
        return m;
    }

    /** critical: a finding that calls for (or blocks) a failover; warning: any other finding; healthy: none. */
    static String health(List<Finding> findings) {
        int top = findings.stream().mapToInt(Finding::priority).max().orElse(0);
        return findings.isEmpty() ? "healthy" : top >= 80 ? "critical" : "warning";
    }

    private static Map<String, Object> server(dev.warden.config.ClusterConfig config, Topology t, TopologyNode n,
                                              ClusterControls controls) {
        InstanceSnapshot s = n.snapshot();
        ServerState st = s.state();
        ReplicaStatus ch = st == null ? null : st.mainChannel().orElse(null);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("address", n.key().toString());
        m.put("role", n.role().display());
        m.put("depth", t.depth(n.key()));
        m.put("source", n.source() == null ? null : n.source().toString());
        m.put("configured", n.configured());
        m.put("reachability", s.reachability().display());
        m.put("error", s.error());
        m.put("version", st == null ? null : st.version().toString());
        m.put("serverId", n.identity().known() ? n.identity().serverId() : null);
        m.put("readOnly", st == null ? null : st.readOnly().display());
        m.put("termEpoch", st == null || st.term() == null ? null : st.term().epoch());
        m.put("ioThread", ch == null ? null : ch.ioThread().display());
        m.put("sqlThread", ch == null ? null : ch.sqlThread().display());
        m.put("ioError", ch == null || ch.ioError() == null ? null : ch.ioError().errno() + ": " + ch.ioError().message());
        m.put("sqlError", ch == null || ch.sqlError() == null ? null
                : ch.sqlError().errno() + ": " + ch.sqlError().message());
        m.put("lag", ch == null ? null : n.lag().display());
        m.put("lagSeconds", ch != null && n.lag().known() ? n.lag().estimate().toNanos() / 1e9 : null);
        String gtid = st == null ? null : st.gtidExecuted().toString();
        m.put("gtidExecuted", gtid);
        m.put("gtidSummary", gtid == null ? null : gtidSummary(gtid));
        m.put("probeMillis", s.latency().toMillis());
        m.put("promotion", config.server(n.key()).map(x -> x.promotion().configName()).orElse("neutral"));
        m.put("priority", config.server(n.key()).map(x -> x.priority()).orElse(0));
        m.put("maintenance", controls.serversInMaintenance().contains(n.key()));
        m.put("fenced", controls.fenced().contains(n.key()));
        return m;
    }

    /** The first source and how many more: "3e11fa47-...:1-41 (+2 more)". */
    static String gtidSummary(String gtid) {
        String flat = gtid.replace("\n", "");
        String[] parts = flat.split(",");
        return parts.length <= 1 ? flat : parts[0] + " (+" + (parts.length - 1) + " more)";
    }

    static Map<String, Object> finding(Finding f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", f.code().name());
        m.put("description", f.description());
        m.put("priority", f.priority());
        m.put("servers", f.servers().stream().map(InstanceKey::toString).toList());
        m.put("detail", f.detail());
        m.put("sentence", f.sentence());
        m.put("pending", f.pending());
        m.put("votes", f.votes().stream().map(ClusterJson::vote).toList());
        return m;
    }

    private static Map<String, Object> vote(Vote v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("observer", v.observer());
        m.put("verdict", v.verdict().name());
        m.put("saw", v.saw());
        m.put("at", v.at() == null ? null : v.at().toString());
        return m;
    }

    static Map<String, Object> controls(ClusterControls c, Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("maintenance", c.maintenance());
        Instant until = c.maintenanceEnds().get(null);
        m.put("maintenanceUntil", until == null ? null : until.toString());
        List<Map<String, Object>> servers = new ArrayList<>();
        for (InstanceKey k : c.serversInMaintenance()) {
            Instant u = c.maintenanceEnds().get(k);
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("server", k.toString());
            s.put("until", u == null ? null : u.toString());
            servers.add(s);
        }
        m.put("serversInMaintenance", servers);
        m.put("antiFlapUntil", c.antiFlapUntil() == null ? null : c.antiFlapUntil().toString());
        m.put("antiFlapActive", c.antiFlapActive(now));
        m.put("fenced", c.fenced().stream().map(InstanceKey::toString).sorted().toList());
        m.put("lastFailover", c.lastFailover() == null ? null : Map.of("operationId", c.lastFailover().operationId(),
                "oldPrimary", c.lastFailover().oldPrimary().toString(), "newPrimary",
                c.lastFailover().newPrimary().toString(), "at", c.lastFailover().at().toString()));
        m.put("interrupted", c.interrupted() == null ? null : Map.of("operationId", c.interrupted().operationId(),
                "sentence", c.interrupted().sentence()));
        return m;
    }
}
