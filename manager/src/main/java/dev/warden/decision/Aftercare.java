package dev.warden.decision;

import dev.warden.config.FailoverPolicy;

import dev.warden.model.ErrantTransactions;
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
                settled.add(f);
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
        return new Aftercare(List.copyOf(plans), List.copyOf(settled));
    }

    private static Plan rejoin(ClusterView view, InstanceKey server, InstanceKey newPrimary, String trigger) {
        TopologyNode n = view.topology().nodes().get(newPrimary);
        InstanceKey address = n == null ? newPrimary : Planner.replicationAddress(n);
        return new Plan(PlanKind.REJOIN, view.cluster(), trigger, null, newPrimary,
                "its transactions are all on " + newPrimary, 0, List.of(), List.of(),
                List.of(new Repoint(server, newPrimary, address, view.policy().repointTimeout())));
    }
}
