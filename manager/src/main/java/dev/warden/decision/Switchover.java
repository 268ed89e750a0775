package dev.warden.decision;

import dev.warden.config.SwitchoverPolicy;
import dev.warden.model.ErrantTransactions;
import dev.warden.model.HookEvent;
import dev.warden.model.InstanceKey;
import dev.warden.model.PromotionRule;
import dev.warden.model.ReplicaStatus;
import dev.warden.model.ServerState;
import dev.warden.plan.KillClientSessions;
import dev.warden.plan.MakeReadOnly;
import dev.warden.plan.MakeWritable;
import dev.warden.plan.Plan;
import dev.warden.plan.PlanKind;
import dev.warden.plan.Promote;
import dev.warden.plan.Repoint;
import dev.warden.plan.RouteWriters;
import dev.warden.plan.RunHooks;
import dev.warden.plan.Step;
import dev.warden.plan.WaitForGtid;
import dev.warden.topology.Role;
import dev.warden.topology.TopologyNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A planned switchover: the precheck (refusing with every reason, changing nothing) and the plan. Pure.
 * Without a target the best candidate is chosen by the same ranking as failover.
 */
public final class Switchover {

    private Switchover() {
    }

    /** Either a plan, or the reasons it is refused. */
    public record Decision(Plan plan, List<String> refusals) {
        public boolean refused() {
            return plan == null;
        }
    }

    public static Decision plan(ClusterView view, InstanceKey target, SwitchoverPolicy sp, Instant now) {
        List<String> refusals = new ArrayList<>();
        List<TopologyNode> primaries = view.topology().withRole(Role.PRIMARY);
        if (primaries.size() != 1) {
            return refuse(primaries.isEmpty() ? "cluster " + view.cluster() + " has no primary"
                    : "cluster " + view.cluster() + " has " + primaries.size() + " primaries");
        }
        TopologyNode primary = primaries.get(0);
        if (!primary.snapshot().reachable()) {
            return refuse("primary " + primary.key() + " is unreachable: that is a failover, not a switchover");
        }
        ServerState ps = primary.snapshot().state();
        if (!ps.readOnly().writable()) {
            return refuse("primary " + primary.key() + " is " + ps.readOnly().display() + ", not taking writes");
        }
        List<TopologyNode> direct = view.topology().nodes().values().stream()
                .filter(n -> primary.key().equals(n.source())).toList();
        TopologyNode candidate;
        if (target != null) {
            InstanceKey t = view.topology().canonical(target);
            if (t.equals(primary.key())) {
                return refuse(target + " is already the primary");
            }
            Optional<TopologyNode> c = direct.stream().filter(n -> n.key().equals(t)).findFirst();
            if (c.isEmpty()) {
                return refuse(target + " is not a replica of primary " + primary.key());
            }
            candidate = c.get();
            refusals.addAll(unfit(view, candidate, ps, sp, direct));
        } else {
            List<TopologyNode> fit = direct.stream().filter(n -> unfit(view, n, ps, sp, direct).isEmpty()).toList();
            if (fit.isEmpty()) {
                List<String> why = new ArrayList<>();
                for (TopologyNode n : direct) {
                    why.add(n.key() + ": " + String.join(", ", unfit(view, n, ps, sp, direct)));
                }
                if (direct.isEmpty()) {
                    why.add("primary " + primary.key() + " has no replica");
                }
                return new Decision(null, why);
            }
            candidate = Candidates.choose(view, fit, ps).best().node();
        }
        if (!refusals.isEmpty()) {
            return new Decision(null, refusals);
        }
        return new Decision(plan(view, primary.key(), candidate.key(), direct, sp), List.of());
    }

    private static Decision refuse(String why) {
        return new Decision(null, List.of(why));
    }

    /** Why a replica cannot take over right now; empty when it can. */
    static List<String> unfit(ClusterView view, TopologyNode r, ServerState primary, SwitchoverPolicy sp,
                              List<TopologyNode> direct) {
        List<String> out = new ArrayList<>();
        if (!r.snapshot().reachable()) {
            out.add("unreachable (" + r.snapshot().reachability().display() + ")");
            return out;
        }
        ServerState s = r.snapshot().state();
        ReplicaStatus ch = s.mainChannel().orElseThrow();
        if (!ch.bothThreadsRunning()) {
            out.add("replication not running (IO " + ch.ioThread().display() + ", SQL " + ch.sqlThread().display() + ")");
        }
        if (!r.lag().known()) {
            out.add("lag unknown");
        } else if (r.lag().estimate().compareTo(sp.maxLag()) > 0) {
            out.add("lag " + r.lag().display() + " over switchover.max_lag " + sp.maxLag().toMillis() + " ms");
        }
        ErrantTransactions errant = ErrantTransactions.of(s, primary);
        if (errant.any()) {
            out.add(errant.count() + " errant transaction(s): " + errant.description());
        }
        if (view.promotion(r.key()) == PromotionRule.MUST_NOT) {
            out.add("promotion rule must_not");
        }
        if (view.controls().serversInMaintenance().contains(r.key())) {
            out.add("in maintenance");
        }
        if (ch.sqlDelaySeconds() > 0) {
            out.add("a delayed replica (" + ch.sqlDelaySeconds() + " s)");
        }
        if (!ch.filters().isEmpty()) {
            out.add("replication filters (" + String.join(", ", ch.filters()) + ")");
        }
        if (s.replication().size() > 1) {
            out.add("replicates on " + s.replication().size() + " channels");
        }
        if (!s.settings().binlogEnabled() || !s.settings().logReplicaUpdates() || !s.settings().gtidUsable(s.flavor())) {
            out.add("binlog, log_replica_updates and GTIDs must all be on");
        }
        if (s.version().compareTo(primary.version()) < 0) {
            out.add(s.version() + " is older than the primary's " + primary.version()
                    + ": the old primary could not replicate from it");
        }
        for (TopologyNode other : direct) {
            if (other.snapshot().reachable() && other.snapshot().state().version().compareTo(s.version()) > 0) {
                out.add(s.version() + " is older than " + other.key() + "'s " + other.snapshot().state().version());
                break;
            }
        }
        return out;
    }

    private static Plan plan(ClusterView view, InstanceKey old, InstanceKey candidate, List<TopologyNode> direct,
                             SwitchoverPolicy sp) {
        var p = view.policy();
        List<Step> steps = new ArrayList<>();
        if (view.integrations().hooks(HookEvent.PRE_SWITCHOVER)) {
            steps.add(new RunHooks(HookEvent.PRE_SWITCHOVER, old, p.fenceTimeout()));
        }
        steps.add(new MakeReadOnly(old, p.fenceTimeout()));
        steps.add(new KillClientSessions(old, sp.killGrace(), p.fenceTimeout().plus(sp.killGrace())));
        steps.add(new WaitForGtid(candidate, old, sp.catchUpTimeout()));
        Integrations.Kv kv = view.integrations().kv();
        if (kv != null && kv.gate()) {
            steps.add(new dev.warden.plan.PublishPrimary(candidate, kv.timeout(), true));
        }
        int promoteAt = steps.size();
        steps.add(new Promote(candidate, p.promoteTimeout()));
        if (view.integrations().haproxy()) {
            steps.add(new RouteWriters(candidate, p.promoteTimeout()));
        }
        if (kv != null && !kv.gate()) {
            steps.add(new dev.warden.plan.PublishPrimary(candidate, kv.timeout(), false));
        }
        TopologyNode c = view.topology().nodes().get(candidate);
        InstanceKey address = c == null ? candidate : Planner.replicationAddress(c);
        steps.add(new Repoint(old, candidate, address, p.repointTimeout()));
        for (TopologyNode r : direct) {
            if (!r.key().equals(candidate) && r.snapshot().reachable()) {
                steps.add(new Repoint(r.key(), candidate, address, p.repointTimeout()));
            }
        }
        if (view.integrations().hooks(HookEvent.POST_SWITCHOVER)) {
            steps.add(new RunHooks(HookEvent.POST_SWITCHOVER, candidate, p.fenceTimeout()));
        }
        return new Plan(PlanKind.SWITCHOVER, view.cluster(), "switchover requested", old, candidate,
                "caught up, both threads running, no errant transactions", 0, List.of(), List.of(), steps,
                kv != null && kv.gate() ? List.of(new MakeWritable(old, p.promoteTimeout()),
                        new dev.warden.plan.PublishPrimary(old, kv.timeout(), true))
                        : List.of(new MakeWritable(old, p.promoteTimeout())), promoteAt);
    }
}
