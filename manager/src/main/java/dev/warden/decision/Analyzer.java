package dev.warden.decision;

import dev.warden.config.FailoverPolicy;

import static dev.warden.decision.FindingCode.DeadPrimary;
import static dev.warden.decision.FindingCode.DeadPrimaryAndSomeReplicas;
import static dev.warden.decision.FindingCode.DeadPrimaryWithoutReplicas;
import static dev.warden.decision.FindingCode.ErrantGtid;
import static dev.warden.decision.FindingCode.HeartbeatPeriodTooLong;
import static dev.warden.decision.FindingCode.StoreLockLost;
import static dev.warden.decision.FindingCode.NoPrimary;
import static dev.warden.decision.FindingCode.OperationInterrupted;
import static dev.warden.decision.FindingCode.PrimaryNotWriting;
import static dev.warden.decision.FindingCode.PrimaryReadOnly;
import static dev.warden.decision.FindingCode.PrimaryWritesBlocked;
import static dev.warden.decision.FindingCode.QuarantinedPrimary;
import static dev.warden.decision.FindingCode.ReplicaLagging;
import static dev.warden.decision.FindingCode.ReplicaOfWrongSource;
import static dev.warden.decision.FindingCode.ReplicaWritable;
import static dev.warden.decision.FindingCode.ReplicationBroken;
import static dev.warden.decision.FindingCode.ReplicationStopped;
import static dev.warden.decision.FindingCode.TwoWritablePrimaries;
import static dev.warden.decision.FindingCode.UnreachablePrimary;
import static dev.warden.decision.FindingCode.UnreachablePrimaryWithLaggingReplicas;

import dev.warden.model.ErrantTransactions;
import dev.warden.model.InstanceKey;
import dev.warden.model.ReplicaStatus;
import dev.warden.model.ServerState;
import dev.warden.model.ThreadState;
import dev.warden.topology.Role;
import dev.warden.topology.TopologyNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finds a cluster's problems from a {@link ClusterView}: runs every row of the problem table, drops findings
 * superseded by another one found, and sorts by priority. Pure: (view, now) -> findings.
 */
public final class Analyzer {

    private Analyzer() {
    }

    /** What a matcher found: the servers, the evidence, the specifics. */
    public record Hit(List<InstanceKey> servers, List<Vote> votes, String detail, boolean pending) {
        static Hit of(InstanceKey server, String detail) {
            return new Hit(List.of(server), List.of(), detail, false);
        }
    }

    /** What matchers look at. */
    public record Context(ClusterView view, Instant now, Optional<PrimaryAssessment> primary) {
        FailoverPolicy policy() {
            return view.policy();
        }
    }

    public static final List<ProblemRule> TABLE = List.of(
            new ProblemRule(DeadPrimary, "The manager cannot reach the primary and every replica that can tell "
                    + "confirms it is gone", 100, Set.of(UnreachablePrimary), Analyzer::deadPrimary),
            new ProblemRule(DeadPrimaryAndSomeReplicas, "The primary is gone and some of its replicas are unreachable "
                    + "too", 98, Set.of(UnreachablePrimary), Analyzer::deadPrimaryAndSomeReplicas),
            new ProblemRule(PrimaryNotWriting, "The primary answers but cannot commit (heartbeat write timing out) "
                    + "and its replicas receive nothing: hung", 95, Set.of(PrimaryReadOnly), Analyzer::primaryNotWriting),
            new ProblemRule(PrimaryWritesBlocked, "The primary answers but its writes do not commit (heartbeat write "
                    + "timing out) while its replicas still hear from it: a lock (FLUSH TABLES WITH READ LOCK, LOCK "
                    + "TABLES) or a slow disk, not a dead primary: no failover", 52, Set.of(PrimaryReadOnly),
                    Analyzer::primaryWritesBlocked),
            new ProblemRule(TwoWritablePrimaries, "Two or more servers replicate from nobody and accept writes", 90,
                    Set.of(ReplicaWritable, NoPrimary), Analyzer::twoWritablePrimaries),
            new ProblemRule(DeadPrimaryWithoutReplicas, "The primary is gone and has no replica to promote", 85,
                    Set.of(UnreachablePrimary), Analyzer::deadPrimaryWithoutReplicas),
            new ProblemRule(NoPrimary, "No server acts as primary", 80, Set.of(), Analyzer::noPrimary),
            new ProblemRule(UnreachablePrimary, "The manager cannot reach the primary, but not every replica "
                    + "confirms it is gone: no failover", 70, Set.of(), Analyzer::unreachablePrimary),
            new ProblemRule(UnreachablePrimaryWithLaggingReplicas, "The manager cannot reach the primary; replicas "
                    + "still receive from it but lag: overloaded, not dead", 68, Set.of(),
                    Analyzer::unreachablePrimaryWithLaggingReplicas),
            new ProblemRule(QuarantinedPrimary, "An old primary came back with transactions the new primary lacks; "
                    + "it stays read-only and out of the topology", 62, Set.of(ReplicaOfWrongSource),
                    Analyzer::quarantinedPrimary),
            new ProblemRule(OperationInterrupted, "An operation was cut short by a manager restart and stopped in a "
                    + "safe state instead of being finished; read its record, then acknowledge", 64, Set.of(),
                    Analyzer::operationInterrupted),
            new ProblemRule(ErrantGtid, "A replica has transactions its primary never had", 60, Set.of(),
                    Analyzer::errantGtid),
            new ProblemRule(ReplicationBroken, "A replication thread stopped on an error", 55, Set.of(),
                    Analyzer::replicationBroken),
            new ProblemRule(PrimaryReadOnly, "The primary is read-only: applications cannot write", 50, Set.of(),
                    Analyzer::primaryReadOnly),
            new ProblemRule(ReplicaWritable, "A replica accepts writes: any write would be errant", 45, Set.of(),
                    Analyzer::replicaWritable),
            new ProblemRule(ReplicaOfWrongSource, "A replica replicates from a server outside the primary's tree", 40,
                    Set.of(), Analyzer::replicaOfWrongSource),
            new ProblemRule(ReplicationStopped, "A replication thread is stopped without an error", 30, Set.of(),
                    Analyzer::replicationStopped),
            new ProblemRule(ReplicaLagging, "A replica is further behind than the lag warning", 20, Set.of(),
                    Analyzer::replicaLagging),
            new ProblemRule(HeartbeatPeriodTooLong, "A replica's heartbeat period is unknown or too long for its "
                    + "silence to confirm that the primary is gone; only a disconnected IO thread counts", 25,
                    Set.of(), Analyzer::heartbeatPeriodTooLong),
            new ProblemRule(StoreLockLost, "This manager lost its exclusive hold on its store: another manager may "
                    + "be acting on these clusters, so it changes nothing until it holds it again", 110, Set.of(),
                    Analyzer::storeLockLost),
            new ProblemRule(FindingCode.CoordinationDown, "This manager cannot reach a ZooKeeper quorum: no manager "
                    + "acts on the cluster (no failover, no aftercare) until coordination is back; probing goes on",
                    108, Set.of(), Analyzer::coordinationDown));

    /** The findings, a verdict that the primary is gone held back unless the managers' quorum agrees. */
    public static List<Finding> analyze(ClusterView view, Instant now) {
        return ManagerQuorum.apply(own(view, now), view.managers(), now);
    }

    /** This manager's own findings, before the other managers are heard (what it publishes to them). */
    public static List<Finding> own(ClusterView view, Instant now) {
        Context ctx = new Context(view, now, PrimaryAssessment.of(view, now));
        List<Finding> found = new ArrayList<>();
        for (ProblemRule rule : TABLE) {
            for (Hit h : rule.matcher().apply(ctx)) {
                found.add(new Finding(rule.code(), rule.description(), rule.priority(), h.servers(), h.votes(),
                        h.detail(), h.pending()));
            }
        }
        Set<FindingCode> superseded = new HashSet<>();
        for (Finding f : found) {
            TABLE.stream().filter(r -> r.code() == f.code()).forEach(r -> superseded.addAll(r.supersedes()));
        }
        return found.stream().filter(f -> !superseded.contains(f.code()))
                .sorted(Comparator.comparingInt(Finding::priority).reversed()).toList();
    }

    private static List<Hit> operationInterrupted(Context c) {
        ClusterControls.Interruption i = c.view().controls().interrupted();
        return i == null ? List.of() : List.of(new Hit(i.server() == null ? List.of() : List.of(i.server()), List.of(),
                i.operationId() + ": " + i.sentence(), false));
    }

    // ---- the primary ---------------------------------------------------------------------------------------

    private static boolean primaryGone(Context c, PrimaryAssessment a) {
        return !a.primary().snapshot().reachable() && a.managerLostIt()
                && a.lostFor().compareTo(c.policy().confirmationWindow()) >= 0
                && a.confirms() > 0 && a.denies() == 0;
    }

    private static List<Hit> deadPrimary(Context c) {
        return c.primary().filter(a -> primaryGone(c, a) && a.directReplicas().stream().allMatch(r -> r.snapshot()
                .reachable())).map(a -> List.of(new Hit(List.of(a.primary().key()), a.allVotes(), a.summary(), false)))
                .orElse(List.of());
    }

    private static List<Hit> deadPrimaryAndSomeReplicas(Context c) {
        return c.primary().filter(a -> primaryGone(c, a) && a.directReplicas().stream().anyMatch(r -> !r.snapshot()
                .reachable())).map(a -> List.of(new Hit(List.of(a.primary().key()), a.allVotes(), a.summary(), false)))
                .orElse(List.of());
    }

    private static List<Hit> deadPrimaryWithoutReplicas(Context c) {
        return c.primary().filter(a -> !a.primary().snapshot().reachable() && a.directReplicas().isEmpty()
                && a.managerLostIt() && a.lostFor().compareTo(c.policy().confirmationWindow()) >= 0)
                .map(a -> List.of(new Hit(List.of(a.primary().key()), a.allVotes(), a.manager().saw()
                        + "; it has no replica that could confirm or take over", false)))
                .orElse(List.of());
    }

    private static List<Hit> unreachablePrimary(Context c) {
        Optional<PrimaryAssessment> pa = c.primary();
        if (pa.isEmpty() || pa.get().primary().snapshot().reachable() || pa.get().directReplicas().isEmpty()) {
            return List.of();
        }
        PrimaryAssessment a = pa.get();
        if (a.denies() > 0) {
            if (deniersLag(c, a)) {
                return List.of();
            }
            return List.of(new Hit(List.of(a.primary().key()), a.allVotes(), a.summary()
                    + ": the manager alone is cut off from it; no failover", false));
        }
        if (!a.managerLostIt()) {
            return List.of(new Hit(List.of(a.primary().key()), a.allVotes(), a.summary()
                    + "; the manager's failure is no sign of death; no failover", false));
        }
        boolean windowOpen = a.lostFor().compareTo(c.policy().confirmationWindow()) < 0;
        String waiting = a.confirms() == 0 ? "no replica can confirm" : a.lostFor().isZero()
                ? "one timed-out probe is not evidence yet" : windowOpen
                ? "confirmation window " + PrimaryAssessment.seconds(c.policy().confirmationWindow()) + " not over" : "";
        return List.of(new Hit(List.of(a.primary().key()), a.allVotes(), a.summary() + "; " + waiting,
                a.confirms() > 0 && windowOpen));
    }

    private static boolean deniersLag(Context c, PrimaryAssessment a) {
        List<TopologyNode> deniers = a.directReplicas().stream()
                .filter(r -> a.voteOf(r).verdict() == Vote.Verdict.SEES_ALIVE).toList();
        return !deniers.isEmpty() && deniers.stream().allMatch(r -> r.lag().known()
                && r.lag().estimate().compareTo(c.policy().lagWarning()) > 0);
    }

    private static List<Hit> unreachablePrimaryWithLaggingReplicas(Context c) {
        return c.primary().filter(a -> !a.primary().snapshot().reachable() && a.denies() > 0 && deniersLag(c, a))
                .map(a -> List.of(new Hit(List.of(a.primary().key()), a.allVotes(), a.summary()
                        + ", but they lag: the primary is alive and overloaded; no failover", false)))
                .orElse(List.of());
    }

    private static List<Hit> primaryNotWriting(Context c) {
        Optional<PrimaryAssessment> pa = c.primary();
        if (pa.isEmpty() || !pa.get().primary().snapshot().reachable() || pa.get().writeStuckFor().isZero()) {
            return List.of();
        }
        PrimaryAssessment a = pa.get();
        if (a.denies() > 0 || a.confirms() == 0) {
            return List.of(); // not hung: PrimaryWritesBlocked says what it is
        }
        boolean confirmed = a.writeStuckFor().compareTo(c.policy().confirmationWindow()) >= 0;
        String detail = "heartbeat write timing out for " + PrimaryAssessment.seconds(a.writeStuckFor()) + "; "
                + a.confirms() + "/" + a.replicaVotes().size() + " replicas receive nothing";
        // A finding that calls for a failover is either confirmed or pending, never neither.
        return List.of(new Hit(List.of(a.primary().key()), a.allVotes(), detail, !confirmed));
    }

    private static List<Hit> primaryWritesBlocked(Context c) {
        Optional<PrimaryAssessment> pa = c.primary();
        if (pa.isEmpty() || !pa.get().primary().snapshot().reachable() || pa.get().writeStuckFor().isZero()) {
            return List.of();
        }
        PrimaryAssessment a = pa.get();
        if (a.denies() == 0 && a.confirms() > 0) {
            return List.of(); // PrimaryNotWriting
        }
        return List.of(new Hit(List.of(a.primary().key()), a.allVotes(), "heartbeat write timing out for "
                + PrimaryAssessment.seconds(a.writeStuckFor()) + "; " + (a.denies() > 0 ? a.denies() + "/"
                + a.replicaVotes().size() + " replicas still receive from it: it is alive" : "no replica can tell")
                + "; no failover", false));
    }

    private static List<Hit> primaryReadOnly(Context c) {
        return c.primary().filter(a -> a.primary().snapshot().reachable()
                        && !a.primary().snapshot().state().readOnly().writable()
                        && !c.view().controls().fenced().contains(a.primary().key()))
                .map(a -> List.of(Hit.of(a.primary().key(), a.primary().snapshot().state().readOnly().display()
                        + ": set read_only=OFF when it is safe for applications to write")))
                .orElse(List.of());
    }

    private static List<Hit> twoWritablePrimaries(Context c) {
        List<InstanceKey> writable = c.view().topology().nodes().values().stream()
                .filter(n -> n.source() == null && n.snapshot().reachable() && n.snapshot().state().readOnly().writable())
                .map(TopologyNode::key).toList();
        return writable.size() < 2 ? List.of() : List.of(new Hit(writable, List.of(), String.join(", ",
                writable.stream().map(Object::toString).toList()) + " all accept writes and replicate from nobody", false));
    }

    private static List<Hit> noPrimary(Context c) {
        var nodes = c.view().topology().nodes();
        boolean anyReachable = nodes.values().stream().anyMatch(n -> n.snapshot().reachable());
        if (nodes.isEmpty() || !anyReachable || !c.view().topology().withRole(Role.PRIMARY).isEmpty()) {
            return List.of();
        }
        return List.of(new Hit(List.of(), List.of(), "no reachable server replicates from nobody while writable, "
                + "and no replica points at a known server", false));
    }

    private static List<Hit> quarantinedPrimary(Context c) {
        List<Hit> out = new ArrayList<>();
        FailoverRecord last = c.view().controls().lastFailover();
        if (last == null) {
            return out;
        }
        TopologyNode newPrimary = c.view().topology().nodes().get(last.newPrimary());
        for (InstanceKey f : c.view().controls().fenced()) {
            TopologyNode old = c.view().topology().nodes().get(f);
            if (old == null || !old.snapshot().reachable() || old.snapshot().state().isReplica() || newPrimary == null
                    || !newPrimary.snapshot().reachable()) {
                continue;
            }
            ErrantTransactions extra = ErrantTransactions.of(old.snapshot().state(), newPrimary.snapshot().state());
            if (extra.any()) {
                out.add(Hit.of(f, "old primary has " + extra.count() + " transaction(s) " + last.newPrimary()
                        + " lacks: " + extra.description() + "; it stays read-only: recover them by hand, then "
                        + "rebuild it as a replica"));
            } else if (!c.policy().rejoinOldPrimary()) {
                out.add(Hit.of(f, "old primary is read-only and could rejoin as a replica of " + last.newPrimary()
                        + " (failover.rejoin_old_primary is off)"));
            }
        }
        return out;
    }

    // ---- replicas ---------------------------------------------------------------------------------------

    private static List<TopologyNode> reachableReplicas(Context c) {
        return c.view().topology().nodes().values().stream()
                .filter(n -> n.source() != null && n.snapshot().reachable()).toList();
    }

    private static boolean sourceReachable(Context c, TopologyNode replica) {
        TopologyNode src = c.view().topology().nodes().get(replica.source());
        return src != null && src.snapshot().reachable();
    }

    private static List<Hit> errantGtid(Context c) {
        List<Hit> out = new ArrayList<>();
        Optional<PrimaryAssessment> pa = c.primary();
        if (pa.isEmpty()) {
            return out;
        }
        ServerState primary = primaryState(c, pa.get());
        if (primary == null) {
            return out;
        }
        for (TopologyNode r : reachableReplicas(c)) {
            ServerState s = r.snapshot().state();
            if (s.flavor() != primary.flavor()) continue;
            ErrantTransactions e = ErrantTransactions.of(s, primary);
            if (e.any()) {
                out.add(Hit.of(r.key(), e.count() + " errant transaction(s): " + e.description()
                        + "; it must not be promoted until they are removed or reconciled"));
            }
        }
        return out;
    }

    /** The primary's current state, or the last one seen while it is unreachable. */
    static ServerState primaryState(Context c, PrimaryAssessment a) {
        if (a.primary().snapshot().reachable()) {
            return a.primary().snapshot().state();
        }
        ServerHistory h = c.view().history().of(a.primary().key());
        return h == null ? null : h.lastState();
    }

    private static List<Hit> replicationBroken(Context c) {
        List<Hit> out = new ArrayList<>();
        for (TopologyNode r : reachableReplicas(c)) {
            ReplicaStatus ch = r.snapshot().state().mainChannel().orElseThrow();
            if (ch.sqlBroken()) {
                out.add(Hit.of(r.key(), "SQL thread stopped on " + ch.sqlError()));
            } else if (ch.ioError() != null && ch.ioThread() != ThreadState.RUNNING && sourceReachable(c, r)) {
                out.add(Hit.of(r.key(), "IO thread " + ch.ioThread().display() + " on " + ch.ioError()
                        + " although its source answers the manager"));
            }
        }
        return out;
    }

    private static List<Hit> replicationStopped(Context c) {
        List<Hit> out = new ArrayList<>();
        for (TopologyNode r : reachableReplicas(c)) {
            ReplicaStatus ch = r.snapshot().state().mainChannel().orElseThrow();
            boolean io = ch.ioThread() == ThreadState.STOPPED && ch.ioError() == null;
            boolean sql = ch.sqlThread() == ThreadState.STOPPED && ch.sqlError() == null;
            if (io || sql) {
                out.add(Hit.of(r.key(), (io && sql ? "both threads" : io ? "IO thread" : "SQL thread") + " stopped"));
            }
        }
        return out;
    }

    private static List<Hit> replicaLagging(Context c) {
        List<Hit> out = new ArrayList<>();
        for (TopologyNode r : reachableReplicas(c)) {
            if (r.lag().known() && r.lag().estimate().compareTo(c.policy().lagWarning()) > 0) {
                out.add(Hit.of(r.key(), "lag " + r.lag().display() + " (warning above "
                        + PrimaryAssessment.seconds(c.policy().lagWarning()) + ")"));
            }
        }
        return out;
    }

    private static List<Hit> storeLockLost(Context c) {
        String problem = c.view().managerProblem();
        return problem == null ? List.of() : List.of(new Hit(List.of(), List.of(), problem, false));
    }

    private static List<Hit> coordinationDown(Context c) {
        String problem = c.view().managers().leadership().problem();
        return problem == null ? List.of() : List.of(new Hit(List.of(), List.of(), problem, false));
    }

    private static List<Hit> heartbeatPeriodTooLong(Context c) {
        List<Hit> out = new ArrayList<>();
        java.time.Duration limit = c.policy().replicaSilence();
        java.time.Duration enforced = c.view().integrations().enforcedHeartbeatPeriod();
        for (TopologyNode r : reachableReplicas(c)) {
            ReplicaStatus ch = r.snapshot().state().mainChannel().orElseThrow();
            java.time.Duration period = ch.receiver().heartbeatPeriod();
            if (PrimaryAssessment.silenceMeansSomething(period, limit)) {
                continue;
            }
            String what = period == null ? "its heartbeat period cannot be read (on MySQL it comes from "
                    + "performance_schema, which must be on)" : "its heartbeat period is "
                    + PrimaryAssessment.periodText(period) + ", not under half of failover.replica_silence "
                    + PrimaryAssessment.seconds(limit);
            String action = period == null ? "" : enforced == null
                    ? "; replication.enforce_heartbeat_period is off: set it by hand (CHANGE ... HEARTBEAT_PERIOD)"
                    : "; Warden sets it to " + PrimaryAssessment.periodText(enforced);
            out.add(Hit.of(r.key(), what + ": its silence cannot confirm a dead primary" + action));
        }
        return out;
    }

    private static List<Hit> replicaWritable(Context c) {
        List<Hit> out = new ArrayList<>();
        for (TopologyNode r : reachableReplicas(c)) {
            if (r.snapshot().state().readOnly().writable()) {
                out.add(Hit.of(r.key(), "read_only is OFF on a replica"));
            }
        }
        return out;
    }

    private static List<Hit> replicaOfWrongSource(Context c) {
        List<Hit> out = new ArrayList<>();
        var nodes = c.view().topology().nodes();
        Set<InstanceKey> fenced = c.view().controls().fenced();
        for (TopologyNode r : reachableReplicas(c)) {
            if (!nodes.containsKey(r.source())) {
                out.add(Hit.of(r.key(), "replicates from " + r.source() + ", which is not a server of this cluster"));
            } else if (fenced.contains(r.source())) {
                out.add(Hit.of(r.key(), "still replicates from " + r.source() + ", the old primary"));
            }
        }
        return out;
    }
}
