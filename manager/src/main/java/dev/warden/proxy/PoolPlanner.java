package dev.warden.proxy;

import dev.warden.config.HaproxyConfig;
import dev.warden.model.InstanceKey;
import dev.warden.model.ReplicaStatus;
import dev.warden.topology.Topology;
import dev.warden.topology.TopologyNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What HAProxy should look like for a topology. Pure. The writer backend: only the primary ready. The reader
 * backend: replicas that answer, replicate with both threads and lag under the limit, at their configured
 * weight; everything else in maintenance. With no writable primary known, the writer backend is left alone.
 */
public final class PoolPlanner {

    private PoolPlanner() {
    }

    public static List<PoolChange> changes(Topology t, HaproxyConfig cfg, List<HaproxyClient.ServerState> writer,
                                           List<HaproxyClient.ServerState> reader) {
        List<PoolChange> out = new ArrayList<>();
        Optional<InstanceKey> primary = writablePrimary(t);
        if (primary.isPresent()) {
            for (HaproxyClient.ServerState s : writer) {
                InstanceKey k = t.canonical(s.address());
                boolean ready = k.equals(primary.get());
                if (ready == s.maintenance()) {
                    out.add(new PoolChange(s.backend(), s.name(), k, ready, s.weight(), ready ? "primary" : "not the primary"));
                }
            }
        }
        for (HaproxyClient.ServerState s : reader) {
            InstanceKey k = t.canonical(s.address());
            String unfit = unfitToRead(t, cfg, k);
            boolean ready = unfit == null;
            int weight = cfg.weight(k);
            if (ready == s.maintenance() || (ready && s.weight() != weight)) {
                out.add(new PoolChange(s.backend(), s.name(), k, ready, weight, ready ? "healthy" : unfit));
            }
        }
        return out;
    }

    /** The primary when there is exactly one and it accepts writes. */
    public static Optional<InstanceKey> writablePrimary(Topology t) {
        return t.primary().filter(p -> p.snapshot().reachable() && p.snapshot().state().readOnly().writable())
                .map(TopologyNode::key);
    }

    /** Why a server must not serve reads, or null. */
    static String unfitToRead(Topology t, HaproxyConfig cfg, InstanceKey k) {
        TopologyNode n = t.nodes().get(k);
        if (n == null) {
            return "not a server of the cluster";
        }
        if (!n.snapshot().reachable()) {
            return "unreachable (" + n.snapshot().reachability().display() + ")";
        }
        Optional<ReplicaStatus> ch = n.snapshot().state().mainChannel();
        if (ch.isEmpty()) {
            return "not a replica";
        }
        if (!ch.get().bothThreadsRunning()) {
            return "replication " + (ch.get().sqlBroken() ? "broken (" + ch.get().sqlError() + ")"
                    : "IO " + ch.get().ioThread().display() + ", SQL " + ch.get().sqlThread().display());
        }
        if (!n.lag().known()) {
            return "lag unknown";
        }
        if (n.lag().estimate().compareTo(cfg.maxLag()) > 0) {
            return "lag " + n.lag().display() + " over " + cfg.maxLag().toMillis() + " ms";
        }
        return null;
    }
}
