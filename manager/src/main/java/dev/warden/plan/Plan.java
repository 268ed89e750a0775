package dev.warden.plan;

import dev.warden.model.InstanceKey;
import java.util.List;

/**
 * An operation as data: why, which candidate and why that one, the known transactions missing, who was excluded and who
 * would be left behind, and the ordered steps.
 *
 * @param trigger       the finding's sentence that caused it
 * @param knownMissing  known transactions missing: transactions known to exist (on the primary when last seen, or
 *                      received by any replica) that the candidate lacks. A lower bound of what a failover loses:
 *                      with asynchronous replication the primary may have committed more that nobody saw
 * @param excluded      replicas that could not be the candidate, each with why
 * @param leftBehind    replicas that will not be re-pointed, each with why
 * @param undo          steps that put things back when a step before {@code undoBefore} fails (switchover)
 * @param undoBefore    index of the first step whose failure is no longer undone
 */
public record Plan(PlanKind kind, String cluster, String trigger, InstanceKey oldPrimary, InstanceKey candidate,
                   String why, long knownMissing, List<Reasoned> excluded, List<Reasoned> leftBehind,
                   List<Step> steps, List<Step> undo, int undoBefore) {

    /** A plan without undo. */
    public Plan(PlanKind kind, String cluster, String trigger, InstanceKey oldPrimary, InstanceKey candidate,
                String why, long knownMissing, List<Reasoned> excluded, List<Reasoned> leftBehind, List<Step> steps) {
        this(kind, cluster, trigger, oldPrimary, candidate, why, knownMissing, excluded, leftBehind, steps, List.of(),
                0);
    }

    /** A server and the reason about it. */
    public record Reasoned(InstanceKey server, String reason) {
        @Override
        public String toString() {
            return server + " (" + reason + ")";
        }
    }

    public Plan {
        excluded = List.copyOf(excluded);
        leftBehind = List.copyOf(leftBehind);
        steps = List.copyOf(steps);
        undo = List.copyOf(undo);
    }

    /** "failover 127.0.0.1:3306 -> 127.0.0.1:3307 (0 known transaction(s) missing), 4 steps". */
    public String summary() {
        return switch (kind) {
            case FAILOVER -> "failover " + oldPrimary + " -> " + candidate + " (" + knownMissing
                    + " known transaction(s) missing), " + steps.size() + " steps";
            case SWITCHOVER -> "switchover " + oldPrimary + " -> " + candidate + ", " + steps.size() + " steps";
            case REFENCE -> "fence again " + oldPrimary;
            case REJOIN -> "re-point " + steps.get(0).server() + " to " + candidate;
            case CONFIGURE -> steps.size() == 1 ? steps.get(0).describe() : "configure " + steps.size() + " replicas";
            case RESTORE -> "give " + steps.get(0).server() + " its writes back (started again read-only)";
        };
    }
}
