package dev.warden.decision;

import dev.warden.config.FailoverPolicy;

import dev.warden.model.GtidPosition;
import dev.warden.model.GtidSet;
import dev.warden.model.InstanceKey;
import dev.warden.model.ServerState;
import dev.warden.plan.CatchUp;
import dev.warden.plan.FenceOldPrimary;
import dev.warden.plan.Plan;
import dev.warden.plan.PlanKind;
import dev.warden.plan.Promote;
import dev.warden.plan.Repoint;
import dev.warden.plan.RouteWriters;
import dev.warden.plan.RunHooks;
import dev.warden.model.HookEvent;
import dev.warden.plan.Step;
import dev.warden.topology.TopologyNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Turns a finding into a decision: a failover plan, a skip with its reason, or a wait. Pure. */
public final class Planner {

    static final java.time.Duration UNREACHABLE_FENCE_TIMEOUT = java.time.Duration.ofMillis(250);

    private Planner() {
    }

    private static java.time.Duration min(java.time.Duration a, java.time.Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    public static Decision decide(Finding f, ClusterView view, Instant now) {
        if (view.whyNotActing() != null && (f.code().primaryGone() || f.pending())) {
            return new Decision.Skip(view.whyNotActing() + "; " + f.sentence());
        }
        if (f.pending() && (f.code() == FindingCode.UnreachablePrimary || f.code().primaryGone())) {
            return new Decision.Wait(f.sentence());
        }
        if (!f.code().primaryGone() || f.pending()) {
            return new Decision.Skip(f.code() + " is reported, not acted on automatically");
        }
        if (view.controls().maintenance()) {
            return new Decision.Skip("cluster " + view.cluster() + " is in maintenance; " + f.sentence());
        }
        if (view.controls().serversInMaintenance().contains(f.server())) {
            return new Decision.Skip("primary " + f.server() + " is in maintenance; " + f.sentence());
        }
        if (view.controls().antiFlapActive(now)) {
            return new Decision.Skip("anti-flap: a failover happened at " + view.controls().lastFailover().at()
                    + "; no automatic failover before " + view.controls().antiFlapUntil()
                    + " unless acknowledged (warden ack); " + f.sentence());
        }
        if (!view.policy().automatic()) {
            return new Decision.Skip("automatic failover is off (failover.automatic); " + f.sentence());
        }
        return failover(view, now, f.sentence(), false);
    }

    /**
     * A failover a person asked for, for a primary that is confirmed gone: unlike {@link #decide}, neither
     * maintenance, the anti-flap block nor {@code failover.automatic} stop it (they hold automation back, not
     * people); a finding still waiting for confirmation does. With {@code force} the candidate's catch-up goes on
     * past its timeout, stating what it could not apply.
     */
    public static Decision manual(Finding f, ClusterView view, Instant now, String trigger, boolean force) {
        if (f.pending() || !f.code().primaryGone()) {
            return new Decision.Skip("not confirmed: " + f.sentence());
        }
        return failover(view, now, trigger, force);
    }

    /** A failover forced by an admin while the primary looks healthy: it is fenced first, like a dead one. */
    public static Decision forced(ClusterView view, Instant now, String trigger) {
        return failover(view, now, trigger, true);
    }

    /** The failover that would run if the current primary were lost now (for plans shown ahead of time). */
    public static Decision hypothetical(ClusterView view, Instant now) {
        Optional<PrimaryAssessment> a = PrimaryAssessment.of(view, now);
        if (a.isEmpty()) {
            return new Decision.Skip("no single primary to plan a failover for");
        }
        return failover(view, now, "if " + a.get().primary().key() + " were lost now", false);
    }

    static Decision failover(ClusterView view, Instant now, String trigger, boolean force) {
        Optional<PrimaryAssessment> pa = PrimaryAssessment.of(view, now);
        if (pa.isEmpty()) {
            return new Decision.Skip("no single primary to replace");
        }
        PrimaryAssessment a = pa.get();
        InstanceKey old = a.primary().key();
        ServerState lastPrimary = Analyzer.primaryState(new Analyzer.Context(view, now, pa), a);
        if (a.directReplicas().isEmpty()) {
            return new Decision.Skip(old + " has no replica to promote");
        }
        // Once the primary is gone every replica's lag grows with the time since its death: compare them with each
        // other and with the primary's last known heartbeat instead.
        boolean gone = !a.primary().snapshot().reachable() || !a.writeStuckFor().isZero();
        java.util.Map<InstanceKey, java.time.Duration> relative = gone
                ? Candidates.relativeLag(a.directReplicas(), a.primary().identity().serverId(), lastPrimary) : null;
        Candidates.Choice choice = Candidates.choose(view, a.directReplicas(), lastPrimary, relative);
        if (!choice.any()) {
            return new Decision.Skip("no replica of " + old + " can be promoted: "
                    + String.join("; ", choice.excluded().stream().map(Plan.Reasoned::toString).toList()));
        }
        Candidates.Eligible best = choice.best();
        InstanceKey candidate = best.node().key();
        FailoverPolicy p = view.policy();
        List<Step> steps = new ArrayList<>();
        if (view.integrations().hooks(HookEvent.PRE_FAILOVER)) {
            steps.add(new RunHooks(HookEvent.PRE_FAILOVER, old, p.fenceTimeout()));
        }
        // A primary that did not answer the last probes gets a brief attempt to reach it (the fence is retried as
        // soon as it answers); once it answers, the fence must hold within the full fence timeout.
        java.time.Duration reach = a.primary().snapshot().reachable() ? p.fenceTimeout()
                : min(p.fenceTimeout(), UNREACHABLE_FENCE_TIMEOUT);
        steps.add(new FenceOldPrimary(old, reach, p.fenceTimeout()));
        steps.add(new CatchUp(candidate, best.received(), p.catchUpTimeout(), force));
        Integrations.Kv kv = view.integrations().kv();
        if (kv != null && kv.gate()) {
            steps.add(new dev.warden.plan.PublishPrimary(candidate, kv.timeout(), true));
        }
        steps.add(new Promote(candidate, p.promoteTimeout()));
        if (view.integrations().haproxy()) {
            steps.add(new RouteWriters(candidate, p.promoteTimeout()));
        }
        if (kv != null && !kv.gate()) {
            steps.add(new dev.warden.plan.PublishPrimary(candidate, kv.timeout(), false));
        }
        List<Plan.Reasoned> leftBehind = new ArrayList<>();
        for (TopologyNode r : a.directReplicas()) {
            if (r.key().equals(candidate)) {
                continue;
            }
            String why = leftBehind(view, r, best, lastPrimary);
            if (why != null) {
                leftBehind.add(new Plan.Reasoned(r.key(), why));
            } else {
                steps.add(new Repoint(r.key(), candidate, replicationAddress(best.node()), p.repointTimeout()));
            }
        }
        if (view.integrations().hooks(HookEvent.POST_FAILOVER)) {
            steps.add(new RunHooks(HookEvent.POST_FAILOVER, candidate, p.fenceTimeout()));
        }
        String why = "most advanced eligible replica (" + best.missing() + " known transaction(s) missing), promotion "
                + view.promotion(candidate).configName() + ", priority " + view.priority(candidate);
        return new Decision.Act(new Plan(PlanKind.FAILOVER, view.cluster(), trigger, old, candidate, why,
                best.missing(), choice.excluded(), leftBehind, steps));
    }

    /**
     * Where replicas reach a server: its report_host:report_port when it reports them, else the address the manager
     * uses (its configured one). They differ when the manager goes through proxies or other names.
     */
    public static InstanceKey replicationAddress(TopologyNode n) {
        InstanceKey reported = n.snapshot().reachable() ? n.snapshot().state().reportedAddress() : null;
        return reported != null ? reported : n.key();
    }

    /** Why a replica will not be re-pointed to the candidate, or null. */
    private static String leftBehind(ClusterView view, TopologyNode r, Candidates.Eligible candidate,
                                     ServerState lastPrimary) {
        if (!r.snapshot().reachable()) {
            return "unreachable now; re-pointed when it answers";
        }
        if (view.controls().serversInMaintenance().contains(r.key())) {
            return "in maintenance";
        }
        // What it has from the old primary's lineage (its own errant writes do not count) beyond the new primary.
        ServerState s = r.snapshot().state();
        GtidPosition mine = Candidates.received(s, lastPrimary);
        GtidPosition applied = mine instanceof GtidSet set ? set.intersect((GtidSet) s.gtidExecuted())
                : s.mainChannel().map(dev.warden.model.ReplicaStatus::executed)
                .map(e -> lastPrimary == null ? e : dev.warden.model.ErrantTransactions.of(s, lastPrimary)
                        .withoutErrant(e)).orElse(mine);
        if (!candidate.received().contains(applied)) {
            long n = candidate.received().missingFrom(applied);
            String which = applied instanceof GtidSet a ? " (" + a.subtract((GtidSet) candidate.received()) + ")" : "";
            return "applied " + n + " transaction(s) the new primary lacks" + which;
        }
        // Received but not applied yet: re-pointing it would discard its relay log, and them with it.
        if (mine.getClass() == candidate.received().getClass() && !candidate.received().contains(mine)) {
            long n = candidate.received().missingFrom(mine);
            String which = mine instanceof GtidSet m ? " (" + m.subtract((GtidSet) candidate.received()) + ")" : "";
            return "received " + n + " transaction(s) the new primary lacks" + which + "; left as it is so that its "
                    + "relay log keeps them: apply or salvage them, then re-point it by hand";
        }
        return null;
    }
}
