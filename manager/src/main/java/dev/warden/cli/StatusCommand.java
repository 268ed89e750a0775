package dev.warden.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.warden.config.ClusterConfig;
import dev.warden.config.ServerConfig;
import dev.warden.config.WardenConfig;
import dev.warden.engine.ClusterMonitor;
import dev.warden.model.ClusterSnapshot;
import dev.warden.model.InstanceSnapshot;
import dev.warden.model.ReplicaStatus;
import dev.warden.model.ServerState;
import dev.warden.probe.ClusterProber;
import dev.warden.probe.ConnectionFactory;
import dev.warden.probe.Discovery;
import dev.warden.topology.ClusterSummary;
import dev.warden.topology.DiscoveryReport;
import dev.warden.topology.HeartbeatLog;
import dev.warden.topology.Topology;
import dev.warden.topology.TopologyNode;
import dev.warden.web.ClusterJson;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code warden status -c FILE}: discovers each cluster from its configured servers, writes one heartbeat on
 * the primary (so replica lag is measured right away, to the millisecond) and prints the topology.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show each cluster's topology: role, reachability, threads, lag, GTIDs.")
final class StatusCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Option(names = "--cluster", paramLabel = "NAME", description = "Only this cluster.")
    String cluster;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        WardenConfig cfg = config.load(spec.commandLine().getErr());
        List<ClusterConfig> clusters = cfg.clusters();
        if (cluster != null) {
            clusters = List.of(cfg.cluster(cluster).orElseThrow(() -> new IllegalArgumentException(
                    "no cluster '" + cluster + "' in " + config.file + "; clusters there: "
                            + String.join(", ", cfg.clusters().stream().map(ClusterConfig::name).toList()))));
        }
        Map<String, Object> leaders = leaders(cfg, clusters);
        ExecutorService pool = Pools.probes();
        List<Object> jsonOut = new ArrayList<>();
        try {
            for (ClusterConfig c : clusters) {
                OneShotProbe.Result r = OneShotProbe.run(cfg, c, pool);
                if (json) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("cluster", ClusterJson.of(c, new ClusterMonitor.Cycle(1, r.snapshot(), r.topology(), r.findings(),
                            new dev.warden.decision.Decision.Skip("status only"), r.sentence(), false),
                            dev.warden.decision.ClusterControls.NONE, null));
                    m.put("discovery", r.report());
                    if (leaders != null) {
                        m.put("leadership", leaders.get(c.name()));
                    }
                    jsonOut.add(m);
                } else {
                    if (leaders != null) {
                        Object l = leaders.get(c.name());
                        out.println("Cluster " + c.name() + ": " + (l instanceof dev.warden.coordination.ZkLook.Look k
                                ? k.display() : l));
                    }
                    print(out, c, r);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(jsonOut));
        }
        out.flush();
        return WardenCommand.OK;
    }

    /**
     * Several managers: who leads each cluster, read from ZooKeeper (a Look per cluster, or a sentence saying why it
     * could not be read); null alone.
     */
    private static Map<String, Object> leaders(WardenConfig cfg, List<ClusterConfig> clusters) {
        if (!cfg.coordinated()) {
            return null;
        }
        List<String> names = clusters.stream().map(ClusterConfig::name).toList();
        Map<String, Object> out = new LinkedHashMap<>();
        try {
            out.putAll(dev.warden.coordination.ZkLook.look(cfg.coordination(), names,
                    cfg.coordination().connectionTimeout()));
        } catch (IllegalStateException e) {
            names.forEach(n -> out.put(n, "leader unknown: " + e.getMessage()));
        }
        return out;
    }

    private static void print(PrintWriter out, ClusterConfig c, OneShotProbe.Result r) {
        out.println(r.sentence());
        TextTable table = new TextTable("SERVER", "ROLE", "STATE", "READ-ONLY", "IO", "SQL", "LAG", "GTID EXECUTED",
                "VERSION", "PROMOTION");
        for (TopologyNode n : r.topology().treeOrder()) {
            InstanceSnapshot s = n.snapshot();
            ServerState st = s.state();
            ReplicaStatus ch = st == null ? null : st.mainChannel().orElse(null);
            String promotion = c.server(n.key()).map(ServerConfig::promotion).map(p -> p.configName())
                    .orElse("(not configured)");
            String state = s.reachable() ? "reachable " + s.latency().toMillis() + "ms"
                    : s.reachability().display();
            table.add("  ".repeat(r.topology().depth(n.key())) + n.key(), n.role().display(), state,
                    st == null ? null : st.readOnly().display(),
                    ch == null ? null : ch.ioThread().display(), ch == null ? null : ch.sqlThread().display(),
                    ch == null ? null : n.lag().display(),
                    st == null ? null : GtidDisplay.shortForm(st.gtidExecuted()),
                    st == null ? null : st.version().toString(), promotion);
        }
        out.print(table.render());
        for (TopologyNode n : r.topology().nodes().values()) {
            InstanceSnapshot s = n.snapshot();
            if (!s.reachable()) {
                out.println("  " + n.key() + ": " + s.reachability().display() + ": " + s.error());
            } else {
                ReplicaStatus ch = s.state().mainChannel().orElse(null);
                if (ch != null && ch.ioError() != null) {
                    out.println("  " + n.key() + ": IO thread " + ch.ioError());
                }
                if (ch != null && ch.sqlError() != null) {
                    out.println("  " + n.key() + ": SQL thread " + ch.sqlError());
                }
            }
        }
        for (dev.warden.decision.Finding f : r.findings()) {
            out.println("  " + f.sentence());
        }
        DiscoveryReport d = r.report();
        if (!d.configuredNotFound().isEmpty()) {
            out.println("configured but not found: " + join(d.configuredNotFound()));
        }
        if (!d.foundNotConfigured().isEmpty()) {
            out.println("found but not configured: " + join(d.foundNotConfigured())
                    + " (add to clusters." + c.name() + ".servers)");
        }
        for (String note : d.notes()) {
            out.println("note: " + note);
        }
        out.println();
    }

    private static String join(List<?> items) {
        return String.join(", ", items.stream().map(Object::toString).toList());
    }
}
