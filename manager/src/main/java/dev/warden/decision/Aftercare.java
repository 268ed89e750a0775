package dev.warden.decision;

import dev.warden.config.FailoverPolicy;
import dev.warden.model.ErrantTransactions;
import dev.warden.model.GtidPosition;
import dev.warden.model.InstanceKey;
import dev.warden.model.ServerState;
import dev.warden.plan.FenceOldPrimary;
import dev.warden.plan.Plan;
import dev.warden.plan.PlanKind;
import dev.warden.plan.Repoint;
import dev.warden.topology.TopologyNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a failover leaves to do once the servers it could not reach come back: fence the old primary again if it
 * is writable; let it rejoin under the new primary when it has nothing the new primary lacks (and policy allows),
 * else leave it quarantined (the analyzer reports why); re-point replicas still attached to the old primary.
 * Pure: (view, now) -> small plans.
 *
 * @param settled fenced servers that now replicate from the new primary: no longer fenced
 */
public record Aftercare(List<Plan> plans, List<InstanceKey> settled) {

    public static Aftercare of(ClusterView view, Instant now) {
        FailoverRecord last = view.controls().lastFailover();
        List<Plan> plans = new ArrayList<>();
        List<InstanceKey> settled = new ArrayList<>();
        var nodes = view.topology().nodes();
        TopologyNode newPrimary = last == null ? null : nodes.get(last.newPrimary());
        boolean newPrimaryServes = newPrimary != null && newPrimary.snapshot().reachable()
                && newPrimary.snapshot().state().readOnly().writable() && newPrimary.source() == null;
        FailoverPolicy p = view.policy();

        for (InstanceKey f : view.controls().fenced()) {
            TopologyNode old = nodes.get(f);
            if (old == null || !old.snapshot().reachable()) {
                continue;
            }
            ServerState s = old.snapshot().state();
            // Fencing holds whatever else is going on: maintenance suspends re-pointing, never the fence. On MySQL
            // read_only alone still lets SUPER and CONNECTION_ADMIN accounts write: the fence is super_read_only.
            boolean weak = s.flavor() == dev.warden.model.Flavor.MYSQL
                    && s.readOnly() != dev.warden.model.ReadOnlyState.SUPER_READ_ONLY;
            if (s.readOnly().writable() || weak) {
                plans.add(new Plan(PlanKind.REFENCE, view.cluster(), f + " is " + s.readOnly().display()
                        + " again after being replaced", f, null, "an old primary must never accept writes without an operator", 0, List.of(),
                        List.of(), List.of(new FenceOldPrimary(f, p.fenceTimeout()))));
                continue;
            }
            if (last != null && last.newPrimary().equals(old.source())) {
                // Replicating from the new primary settles it only once both are read and it has nothing the new
                // primary lacks (else its replication is broken or silently skips them): until then it stays fenced.
                if (newPrimary != null && newPrimary.snapshot().reachable()
                        && !ErrantTransactions.of(s, newPrimary.snapshot().state()).any()) {
                    settled.add(f);
                }
                continue;
            }
            if (view.inMaintenance(f)) {
                continue;
            }
            if (newPrimaryServes && p.rejoinOldPrimary()
                    && !ErrantTransactions.of(s, newPrimary.snapshot().state()).any()) {
                plans.add(rejoin(view, f, last.newPrimary(), "old primary " + f + " is back, read-only, with nothing "
                        + last.newPrimary() + " lacks"));
            }
        }
        if (newPrimaryServes) {
            for (TopologyNode r : nodes.values()) {
                boolean onOldPrimary = r.source() != null && r.source().equals(last.oldPrimary())
                        && !view.controls().fenced().contains(r.key());
                if (!onOldPrimary || !r.snapshot().reachable() || view.inMaintenance(r.key())) {
                    continue;
                }
                if (!ErrantTransactions.of(r.snapshot().state(), newPrimary.snapshot().state()).any()) {
                    plans.add(rejoin(view, r.key(), last.newPrimary(), r.key() + " still replicates from the old "
                            + "primary " + last.oldPrimary()));
                }
            }
        }
        for (Plan stale : staleEpochPrimaries(view)) {
            if (plans.stream().noneMatch(p2 -> stale.oldPrimary().equals(p2.oldPrimary()))) {
                plans.add(stale);
            }
        }
        restartedPrimary(view).ifPresent(plans::add);
        return new Aftercare(List.copyOf(plans), List.copyOf(settled));
    }

    /**
     * Several managers: a server that replicates from nobody and is writable, carrying an older {@code warden.term}
     * epoch (or none) than another server of the cluster, is a stale primary: a newer leadership promoted another
     * server since, and it must not take writes. Only while the newest epoch seen is not newer than this manager's
     * own (else its own epoch is what is behind, and nothing is judged by it); a tie is never stale.
     */
    static List<Plan> staleEpochPrimaries(ClusterView view) {
        long own = view.managers().leadership().epoch();
        var reachable = view.topology().nodes().values().stream().filter(n -> n.snapshot().reachable()).toList();
        long newest = reachable.stream().mapToLong(n -> n.snapshot().state().termEpoch()).max().orElse(0);
        if (own <= 0 || newest <= 0 || newest > own) {
            return List.of();
        }
        List<Plan> plans = new ArrayList<>();
        for (TopologyNode n : reachable) {
            ServerState s = n.snapshot().state();
            if (n.source() != null || !s.readOnly().writable() || s.termEpoch() >= newest) {
                continue;
            }
            String newer = reachable.stream().filter(o -> o.snapshot().state().termEpoch() == newest)
                    .map(o -> o.key().toString()).findFirst().orElse("?");
            plans.add(new Plan(PlanKind.REFENCE, view.cluster(), n.key() + " is " + s.readOnly().display()
                    + " and replicates from nobody, carrying " + (s.term() == null ? "no warden.term epoch"
                    : "warden.term " + s.term().display()) + " while " + newer + " carries epoch " + newest
                    + ": a stale primary", n.key(), null, "a primary from an older leadership must never accept "
                    + "writes", 0, List.of(), List.of(), List.of(new FenceOldPrimary(n.key(),
                    view.policy().fenceTimeout()))));
        }
        return plans;
    }

    /** A primary read-only by its startup configuration is given its writes back only this soon after its start. */
    public static final java.time.Duration RESTARTED_WITHIN = java.time.Duration.ofMinutes(10);

    /**
     * The primary died and was started again before anything was promoted in its place (the manager was down, or
     * restarted in the middle of the failover), read-only as its my.cnf says: its replicas are still attached and
     * nothing they have is missing from it, so it is the primary it was, and left so the cluster has no writable
     * server. It is made writable again; only when read_only comes from its startup configuration, unchanged since
     * (not a DBA's SET at run time), within {@link #RESTARTED_WITHIN} of its start, and when it was the primary
     * before (its own heartbeat row); not in maintenance, not with automatic failover off (a person decides), never
     * an old primary that was replaced (fenced), never while another server is writable.
     */
    static java.util.Optional<Plan> restartedPrimary(ClusterView view) {
        if (!view.policy().automatic()) {
            return java.util.Optional.empty();
        }
        var nodes = view.topology().nodes().values();
        if (nodes.stream().anyMatch(n -> n.snapshot().reachable() && n.snapshot().state().readOnly().writable()
                && n.snapshot().state().replication().isEmpty())) {
            return java.util.Optional.empty();
        }
        List<TopologyNode> roots = nodes.stream().filter(n -> n.snapshot().reachable()
                && n.snapshot().state().replication().isEmpty()).toList();
        if (roots.size() != 1) {
            return java.util.Optional.empty();
        }
        TopologyNode p = roots.get(0);
        ServerState s = p.snapshot().state();
        java.time.Duration up = s.readOnlySinceStart();
        if (up == null || up.compareTo(RESTARTED_WITHIN) >= 0 || view.controls().fenced().contains(p.key())
                || view.inMaintenance(p.key())) {
            return java.util.Optional.empty();
        }
        // It was the primary before its start: Warden's heartbeat row from its own server_id is in its table (a new
        // cluster whose primary a DBA has not made writable yet has none).
        long id = s.serverId();
        if (s.heartbeat().rows().stream().noneMatch(h -> h.serverId() == id)) {
            return java.util.Optional.empty();
        }
        int attached = 0;
        for (TopologyNode r : nodes) {
            if (r.key().equals(p.key()) || !r.snapshot().reachable()) {
                continue;
            }
            if (!p.key().equals(r.source())) {
                return java.util.Optional.empty(); // a server elsewhere: not the simple case
            }
            ServerState rs = r.snapshot().state();
            GtidPosition received = Candidates.received(rs, null);
            if (received.getClass() != s.gtidExecuted().getClass() || !s.gtidExecuted().contains(received)
                    || !s.gtidExecuted().contains(rs.gtidExecuted())) {
                return java.util.Optional.empty(); // a replica has what it lacks (lost in its crash)
            }
            attached++;
        }
        if (attached == 0) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new Plan(PlanKind.RESTORE, view.cluster(), p.key() + " is the primary, "
                + s.readOnly().display() + " " + up.toSeconds() + " s after it started, with nothing promoted in its "
                + "place", null, null, "its " + attached + " replica(s) replicate from it and have nothing it lacks",
                0, List.of(), List.of(), List.of(new dev.warden.plan.MakeWritable(p.key(),
                view.policy().promoteTimeout()))));
    }

    private static Plan rejoin(ClusterView view, InstanceKey server, InstanceKey newPrimary, String trigger) {
        TopologyNode n = view.topology().nodes().get(newPrimary);
        InstanceKey address = n == null ? newPrimary : Planner.replicationAddress(n);
        return new Plan(PlanKind.REJOIN, view.cluster(), trigger, null, newPrimary,
                "its transactions are all on " + newPrimary, 0, List.of(), List.of(),
                List.of(new Repoint(server, newPrimary, address, view.policy().repointTimeout())));
    }
}
