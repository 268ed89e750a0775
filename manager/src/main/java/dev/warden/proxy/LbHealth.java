package dev.warden.proxy;

import dev.warden.decision.ClusterControls;
import dev.warden.model.InstanceKey;
import dev.warden.model.ReplicaStatus;
import dev.warden.topology.Topology;
import dev.warden.topology.TopologyNode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a load balancer's health check of one server hears: up (200) or down (503, or 404 for a server the cluster
 * does not have), with one line saying why. From the manager's current view, fencing included. Pure.
 */
public final class LbHealth {

    /** @param status 200, 404 or 503 */
    public record Verdict(int status, String reason) {
        public boolean up() {
            return status == 200;
        }
    }

    /** What the check is judged on. */
    public record View(Topology topology, ClusterControls controls, InstanceKey replacing, Duration age,
                       Duration maxAge) {
    }

    private LbHealth() {
    }

    /**
     * Up only for the single reachable, writable server that replicates from nobody and is not fenced, while no
     * failover or switchover replaces it ({@code replacing}) and the view is fresh. Two such servers: both down
     * (writes to either would split the data).
     */
    public static Verdict primary(View v, InstanceKey asked) {
        Optional<Verdict> no = common(v, asked);
        if (no.isPresent()) {
            return no.get();
        }
        InstanceKey k = v.topology().canonical(asked);
        TopologyNode n = v.topology().nodes().get(k);
        if (v.controls().fenced().contains(k)) {
            return down(k + " is fenced (an old primary): it must not take writes");
        }
        if (k.equals(v.replacing())) {
            return down("an operation is replacing " + k + " as the primary");
        }
        if (!n.snapshot().reachable()) {
            return down(k + " is unreachable (" + n.snapshot().reachability().display() + ")");
        }
        if (n.source() != null) {
            return down(k + " replicates from " + n.source());
        }
        if (!n.snapshot().state().readOnly().writable()) {
            return down(k + " is " + n.snapshot().state().readOnly().display());
        }
        List<InstanceKey> writable = v.topology().nodes().values().stream()
                .filter(x -> x.source() == null && x.snapshot().reachable()
                        && x.snapshot().state().readOnly().writable() && !v.controls().fenced().contains(x.key()))
                .map(TopologyNode::key).toList();
        if (writable.size() > 1) {
            return down(writable.size() + " servers take writes (" + String.join(", ", writable.stream()
                    .map(InstanceKey::toString).toList()) + "): none is marked up until one is fenced");
        }
        return new Verdict(200, k + " is the writable primary");
    }

    /**
     * Up for a reachable replica with both threads running and a known lag within {@code maxLag}, not fenced and not
     * in maintenance.
     */
    public static Verdict replica(View v, InstanceKey asked, Duration maxLag) {
        Optional<Verdict> no = common(v, asked);
        if (no.isPresent()) {
            return no.get();
        }
        InstanceKey k = v.topology().canonical(asked);
        TopologyNode n = v.topology().nodes().get(k);
        if (v.controls().fenced().contains(k)) {
            return down(k + " is fenced (an old primary): it may hold transactions the cluster does not have");
        }
        if (v.controls().serversInMaintenance().contains(k)) {
            return down(k + " is in maintenance");
        }
        if (!n.snapshot().reachable()) {
            return down(k + " is unreachable (" + n.snapshot().reachability().display() + ")");
        }
        Optional<ReplicaStatus> ch = n.snapshot().state().mainChannel();
        if (ch.isEmpty()) {
            return down(k + " is not a replica");
        }
        if (!ch.get().bothThreadsRunning()) {
            return down(k + ": replication " + (ch.get().sqlBroken() ? "broken (" + ch.get().sqlError() + ")"
                    : "IO " + ch.get().ioThread().display() + ", SQL " + ch.get().sqlThread().display()));
        }
        if (!n.lag().known()) {
            return down(k + ": lag unknown");
        }
        if (n.lag().estimate().compareTo(maxLag) > 0) {
            return down(k + ": lag " + n.lag().display() + " over " + maxLag.toMillis() + " ms");
        }
        return new Verdict(200, k + " replicates from " + n.source() + ", lag " + n.lag().display());
    }

    private static Optional<Verdict> common(View v, InstanceKey asked) {
        if (v.topology() == null) {
            return Optional.of(down("not probed yet"));
        }
        if (v.age().compareTo(v.maxAge()) > 0) {
            return Optional.of(down("this manager's view of cluster " + v.topology().cluster() + " is "
                    + v.age().toMillis() + " ms old (over " + v.maxAge().toMillis() + " ms): probing is stalled"));
        }
        TopologyNode n = v.topology().nodes().get(v.topology().canonical(asked));
        if (n == null) {
            return Optional.of(new Verdict(404, asked + " is not a server of cluster " + v.topology().cluster()));
        }
        return Optional.empty();
    }

    private static Verdict down(String reason) {
        return new Verdict(503, reason);
    }
}
