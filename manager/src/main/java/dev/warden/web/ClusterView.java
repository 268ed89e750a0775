package dev.warden.web;

import dev.warden.engine.ClusterMonitor;
import dev.warden.model.InstanceSnapshot;
import dev.warden.model.ReplicaStatus;
import dev.warden.model.ServerState;
import dev.warden.topology.Topology;
import dev.warden.topology.TopologyNode;
import java.util.List;

/** What the API shows of a cluster: plain values, ready for JSON. */
public record ClusterView(String name, long cycle, String takenAt, String summary, List<ServerView> servers) {

    public record ServerView(String address, String role, int depth, String source, boolean configured,
                             String reachability, String error, String version, String readOnly, String ioThread,
                             String sqlThread, String lag, Double lagSeconds, String gtidExecuted, long probeMillis) {
    }

    public static ClusterView of(ClusterMonitor.Cycle c) {
        Topology t = c.topology();
        List<ServerView> servers = t.treeOrder().stream().map(n -> server(t, n)).toList();
        return new ClusterView(t.cluster(), c.number(), t.takenAt().toString(), c.sentence(), servers);
    }

    private static ServerView server(Topology t, TopologyNode n) {
        InstanceSnapshot s = n.snapshot();
        ServerState st = s.state();
        ReplicaStatus ch = st == null ? null : st.mainChannel().orElse(null);
        Double lagSeconds = n.lag().known() ? n.lag().estimate().toNanos() / 1e9 : null;
        return new ServerView(n.key().toString(), n.role().display(), t.depth(n.key()),
                n.source() == null ? null : n.source().toString(), n.configured(), s.reachability().display(),
                s.error(), st == null ? null : st.version().toString(), st == null ? null : st.readOnly().display(),
                ch == null ? null : ch.ioThread().display(), ch == null ? null : ch.sqlThread().display(),
                ch == null ? null : n.lag().display(), lagSeconds, st == null ? null : st.gtidExecuted().toString(),
                s.latency().toMillis());
    }
}
