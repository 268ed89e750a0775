package dev.warden.decision;

import dev.warden.model.GtidPosition;
import dev.warden.model.InstanceKey;
import dev.warden.plan.Plan;
import dev.warden.plan.PlanKind;
import dev.warden.plan.Promote;
import dev.warden.plan.Step;
import dev.warden.topology.TopologyNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What to do with an operation a manager crash cut short, decided on a fresh probe of the cluster. Pure.
 * <ul>
 * <li>The candidate answers writable and replicates from nobody: the promotion took effect. Finish the steps
 *     after it (re-points and hooks are idempotent).</li>
 * <li>Failover not promoted yet: finish it only if the old primary's death is confirmed again by the votes of this
 *     run (wait for that while it is pending), nothing else is writable, the candidate answers and still has every
 *     transaction any other replica received; otherwise stop, changing nothing, and say why (detection then decides
 *     afresh on its own evidence). Never a second promotion.</li>
 * <li>Switchover not promoted yet: put the old primary back (its undo) when it answers read-only; stop when it is
 *     writable (nothing changed) or gone.</li>
 * <li>Fencing again and re-attaching: stop; aftercare plans them again if they are still needed.</li>
 * </ul>
 */
public final class Resumption {

    private Resumption() {
    }

    /**
     * A step of the cut-short operation as recorded: whether its work was recorded as holding, and for a fence
     * whether it turned read-only on (the old primary was writable before).
     */
    public record StepState(Step step, boolean holds, boolean madeReadOnly) {
        public StepState(Step step, boolean holds) {
            this(step, holds, false);
        }
    }

    public sealed interface Verdict {
        String why();
    }

    /**
     * Run every step from {@code from} on that does not hold; {@code found} are steps whose effect was found on the
     * servers (index to sentence): recorded as already done.
     */
    public record Resume(int from, Map<Integer, String> found, String why) implements Verdict {
    }

    /** Run the plan's undo, then stop. */
    public record RollBack(Map<Integer, String> found, String why) implements Verdict {
    }

    /**
     * Nothing was promoted, but this operation made the old primary read-only and it answers: make it writable again
     * (as before the operation), then stop.
     */
    public record Restore(InstanceKey server, Map<Integer, String> found, String why) implements Verdict {
    }

    /** Stop in the state the cluster is in. */
    public record Stop(Map<Integer, String> found, String why) implements Verdict {
    }

    /** Decide again on the next cycle: the death of the old primary is neither confirmed nor refuted yet. */
    public record AwaitEvidence(String why) implements Verdict {
    }

    /**
     * @param findings what this run's analysis finds now (the death of the old primary must be among them, confirmed,
     *                 for a failover that has not promoted yet to go on)
     */
    public static Verdict decide(Plan plan, List<StepState> steps, ClusterView view, List<Finding> findings) {
        if (plan.kind() == PlanKind.REFENCE || plan.kind() == PlanKind.REJOIN || plan.kind() == PlanKind.CONFIGURE
                || plan.kind() == PlanKind.RESTORE) {
            return new Stop(Map.of(), "cut short by a manager restart; aftercare plans it again if still needed");
        }
        if (view.topology().nodes().values().stream().noneMatch(Resumption::answers)) {
            // A restarted manager that reaches nothing (its own network, an overloaded host) knows nothing yet.
            return new AwaitEvidence("this manager reaches none of the cluster's servers yet: nothing to decide from");
        }
        int promoteAt = indexOf(steps, Promote.class);
        Map<Integer, String> found = new LinkedHashMap<>();
        TopologyNode candidate = view.topology().nodes().get(plan.candidate());
        boolean candidateWritable = answers(candidate) && candidate.snapshot().state().readOnly().writable()
                && candidate.snapshot().state().replication().isEmpty();
        boolean promoted = promoteAt >= 0 && steps.get(promoteAt).holds();
        if (candidateWritable && promoteAt >= 0) {
            if (!promoted) {
                found.put(promoteAt, plan.candidate() + " answers writable and replicates from nobody: the promotion "
                        + "took effect before the restart");
            }
            return new Resume(promoteAt + 1, found, plan.candidate() + " is the writable primary; finishing the "
                    + "steps after the promotion");
        }
        if (promoted) {
            if (!answers(candidate)) {
                // A first probe from a cold manager can time out on a live server: wait (up to the grace) before
                // concluding; nothing else is decided meanwhile.
                return new AwaitEvidence(plan.candidate() + " was promoted but does not answer yet; Warden does not "
                        + "promote another server from this record (if it stays so, check it and the cluster by "
                        + "hand, then acknowledge)");
            }
            return new Stop(found, plan.candidate() + " was promoted but now is "
                    + candidate.snapshot().state().readOnly().display()
                    + (candidate.snapshot().state().replication().isEmpty() ? "" : " and replicates")
                    + "; Warden does not promote another server from this record. Check it "
                    + "and the cluster by hand, then acknowledge");
        }
        List<InstanceKey> writable = view.topology().nodes().values().stream()
                .filter(n -> !n.key().equals(plan.candidate()) && answers(n)
                        && n.snapshot().state().readOnly().writable() && n.snapshot().state().replication().isEmpty())
                .map(TopologyNode::key).toList();
        if (plan.kind() == PlanKind.SWITCHOVER) {
            return switchover(plan, view, found, writable);
        }
        if (!writable.isEmpty()) {
            return new Stop(found, "nothing was promoted and " + join(writable) + " accepts writes (the old primary "
                    + "came back before it was fenced, or someone promoted a server by hand); the cluster is left "
                    + "as it is");
        }
        if (!answers(candidate)) {
            return new Stop(found, "nothing was promoted and the candidate " + plan.candidate() + " does not answer; "
                    + "detection decides afresh");
        }
        // A failover decided by another run is finished only on this run's own evidence of the death.
        Optional<Finding> death = findings.stream().filter(f -> plan.oldPrimary().equals(f.server())
                && f.code().primaryGone() && !f.pending()).findFirst();
        if (death.isEmpty()) {
            TopologyNode old = view.topology().nodes().get(plan.oldPrimary());
            String now = findings.stream().filter(f -> plan.oldPrimary().equals(f.server())).map(Finding::sentence)
                    .findFirst().orElse(plan.oldPrimary() + " shows no sign of failure");
            boolean fencedByUs = steps.stream().anyMatch(st -> st.step() instanceof dev.warden.plan.FenceOldPrimary
                    && st.madeReadOnly());
            if (answers(old) && !old.snapshot().state().readOnly().writable()
                    && old.snapshot().state().replication().isEmpty()
                    && (fencedByUs || nothingBeyond(old, view, plan))) {
                // Read-only (by this operation's fence, or by its own configuration after a restart), it cannot show
                // a stuck write or die again: as it stands it would stay read-only for good and the cluster without
                // a writable primary. Nothing was promoted and no replica has anything it lacks: it is the primary
                // it was.
                return new Restore(plan.oldPrimary(), found, "nothing was promoted and " + plan.oldPrimary()
                        + (fencedByUs ? ", which this failover had made read-only," : ", read-only (it was started "
                        + "again),") + " answers (" + now + ") and no replica has anything it lacks: it is made "
                        + "writable again and detection decides afresh");
            }
            if (answers(old) && !findings.stream().anyMatch(f -> plan.oldPrimary().equals(f.server())
                    && f.code() == FindingCode.PrimaryNotWriting)) {
                return new Stop(found, "nothing was promoted and the death of " + plan.oldPrimary() + " is not "
                        + "confirmed now: it answers (" + now + "); the cluster is left as it is");
            }
            return new AwaitEvidence("waiting to confirm again that " + plan.oldPrimary() + " is gone: " + now);
        }
        GtidPosition has = Candidates.received(candidate.snapshot().state(), null);
        for (TopologyNode n : view.topology().nodes().values()) {
            if (n.key().equals(plan.candidate()) || n.key().equals(plan.oldPrimary()) || !answers(n)
                    || !n.snapshot().state().isReplica()) {
                continue;
            }
            GtidPosition other = Candidates.received(n.snapshot().state(), null);
            if (other.getClass() == has.getClass() && !has.contains(other)) {
                return new Stop(found, "nothing was promoted and " + n.key() + " has " + has.missingFrom(other)
                        + " transaction(s) the candidate " + plan.candidate() + " lacks; detection decides afresh");
            }
        }
        return new Resume(0, found, "nothing was promoted, no server accepts writes and " + plan.candidate()
                + " still has every transaction the other replicas received: finishing the failover");
    }

    private static Verdict switchover(Plan plan, ClusterView view, Map<Integer, String> found,
                                      List<InstanceKey> writable) {
        TopologyNode old = view.topology().nodes().get(plan.oldPrimary());
        if (writable.contains(plan.oldPrimary()) && writable.size() == 1) {
            return new Stop(found, "the candidate was not promoted and " + plan.oldPrimary() + " still accepts "
                    + "writes: the switchover changed nothing lasting; ask for it again");
        }
        if (!writable.isEmpty()) {
            return new Stop(found, "the candidate was not promoted and " + join(writable) + " accepts writes; the "
                    + "cluster is left as it is");
        }
        if (!answers(old)) {
            return new Stop(found, "the candidate was not promoted and the old primary " + plan.oldPrimary()
                    + " does not answer; detection decides afresh");
        }
        return new RollBack(found, "the manager restarted after " + plan.oldPrimary() + " was made read-only and "
                + "before " + plan.candidate() + " was promoted");
    }

    /** No reachable replica received or executed anything the old primary lacks (it lost nothing in its crash). */
    static boolean nothingBeyond(TopologyNode old, ClusterView view, Plan plan) {
        GtidPosition has = old.snapshot().state().gtidExecuted();
        for (TopologyNode n : view.topology().nodes().values()) {
            if (n.key().equals(plan.oldPrimary()) || !answers(n) || !n.snapshot().state().isReplica()) {
                continue;
            }
            GtidPosition other = Candidates.received(n.snapshot().state(), null);
            GtidPosition applied = n.snapshot().state().gtidExecuted();
            if (other.getClass() != has.getClass() || !has.contains(other) || !has.contains(applied)) {
                return false;
            }
        }
        return true;
    }

    private static boolean answers(TopologyNode n) {
        return n != null && n.snapshot().reachable();
    }

    private static int indexOf(List<StepState> steps, Class<? extends Step> kind) {
        for (int i = 0; i < steps.size(); i++) {
            if (kind.isInstance(steps.get(i).step())) {
                return i;
            }
        }
        return -1;
    }

    private static String join(List<InstanceKey> keys) {
        return String.join(", ", keys.stream().map(InstanceKey::toString).toList());
    }
}
