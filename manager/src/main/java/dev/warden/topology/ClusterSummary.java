package dev.warden.topology;

import dev.warden.model.InstanceSnapshot;
import dev.warden.model.ReplicaStatus;
import dev.warden.model.ThreadState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** One sentence that says how a cluster is: the log line of each cycle, and what tests assert. Pure. */
public final class ClusterSummary {

    private ClusterSummary() {
    }

    public static String sentence(Topology t) {
        StringBuilder sb = new StringBuilder("cluster ").append(t.cluster()).append(": ");
        Optional<TopologyNode> primary = t.primary();
        List<TopologyNode> replicas = t.replicas();
        List<String> troubles = new ArrayList<>();
        for (TopologyNode n : t.nodes().values()) {
            String trouble = trouble(n);
            if (trouble != null && (primary.isEmpty() || !n.key().equals(primary.get().key()))) {
                troubles.add(trouble);
            }
        }
        if (primary.isPresent()) {
            TopologyNode p = primary.get();
            InstanceSnapshot ps = p.snapshot();
            sb.append("primary ").append(p.key()).append(' ');
            if (ps.reachable()) {
                sb.append(ps.state().readOnly().display());
            } else {
                sb.append("unreachable (").append(ps.reachability().display()).append(')');
            }
            long healthy = replicas.stream().filter(ClusterSummary::replicating).count();
            sb.append(", ").append(healthy).append('/').append(replicas.size()).append(" replicas replicating");
            maxLag(replicas).ifPresent(l -> sb.append(", max lag ").append(l.display()));
        } else {
            List<TopologyNode> primaries = t.withRole(Role.PRIMARY);
            if (primaries.isEmpty()) {
                sb.append("no primary found");
            } else {
                sb.append(primaries.size()).append(" servers act as primary (")
                        .append(String.join(", ", primaries.stream().map(n -> n.key().toString()).toList()))
                        .append(')');
            }
            sb.append(", ").append(replicas.size()).append(" replicas");
        }
        if (!troubles.isEmpty()) {
            sb.append("; ").append(String.join("; ", troubles));
        }
        return sb.toString();
    }

    private static boolean replicating(TopologyNode n) {
        return n.snapshot().reachable() && n.snapshot().state().mainChannel().map(ReplicaStatus::bothThreadsRunning)
                .orElse(false);
    }

    private static Optional<ReplicationLag> maxLag(List<TopologyNode> replicas) {
        ReplicationLag max = null;
        for (TopologyNode n : replicas) {
            if (!n.lag().known()) continue;
            Duration e = n.lag().estimate();
            if (max == null || e.compareTo(max.estimate()) > 0) {
                max = n.lag();
            }
        }
        return Optional.ofNullable(max);
    }

    /** What is wrong with one server, or null. */
    static String trouble(TopologyNode n) {
        InstanceSnapshot s = n.snapshot();
        if (!s.reachable()) {
            return n.key() + " unreachable (" + s.reachability().display() + ")";
        }
        Optional<ReplicaStatus> ch = s.state().mainChannel();
        if (ch.isEmpty()) {
            return null;
        }
        ReplicaStatus r = ch.get();
        if (r.sqlBroken()) {
            return n.key() + " replication broken (SQL error " + r.sqlError().errno() + ")";
        }
        if (r.sqlThread() != ThreadState.RUNNING) {
            return n.key() + " SQL thread " + r.sqlThread().display();
        }
        if (r.ioThread() != ThreadState.RUNNING) {
            String err = r.ioError() == null ? "" : " (IO error " + r.ioError().errno() + ")";
            return n.key() + " IO thread " + r.ioThread().display() + err;
        }
        return null;
    }
}
