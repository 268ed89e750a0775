package dev.warden.actions;

import dev.warden.decision.Vote;
import dev.warden.plan.Plan;
import dev.warden.plan.Step;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A plan being run or run: who started it and why, the evidence, each step's record, and the outcome with a
 * sentence that says what the cluster looks like now and what a human should do. Thread-safe; read snapshots
 * with {@link #steps()}.
 */
public final class Operation {

    public enum Outcome { RUNNING, SUCCEEDED, FAILED, ROLLED_BACK }

    private final String id;
    private final Plan plan;
    private final String startedBy;
    private final List<Vote> evidence;
    private final Instant startedAt;
    private final List<StepRecord> steps = new ArrayList<>();
    private final List<dev.warden.hooks.HookOutcome> hooks = new ArrayList<>();
    private volatile Outcome outcome = Outcome.RUNNING;
    private volatile Instant endedAt;
    private volatile String summary = "running";

    public Operation(String id, Plan plan, String startedBy, List<Vote> evidence, Instant startedAt) {
        this.id = id;
        this.plan = plan;
        this.startedBy = startedBy;
        this.evidence = List.copyOf(evidence);
        this.startedAt = startedAt;
        for (int i = 0; i < plan.steps().size(); i++) {
            steps.add(new StepRecord(i, plan.steps().get(i), null, null, StepStatus.NOT_RUN, "not run yet", null, false));
        }
    }

    public String id() {
        return id;
    }

    public Plan plan() {
        return plan;
    }

    public String startedBy() {
        return startedBy;
    }

    public List<Vote> evidence() {
        return evidence;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Instant endedAt() {
        return endedAt;
    }

    public Outcome outcome() {
        return outcome;
    }

    public String summary() {
        return summary;
    }

    public synchronized List<StepRecord> steps() {
        return List.copyOf(steps);
    }

    synchronized void started(int index, Instant at) {
        StepRecord r = steps.get(index);
        steps.set(index, new StepRecord(index, r.step(), at, null, StepStatus.NOT_RUN, "running", null, r.undo()));
    }

    synchronized void ended(int index, Instant at, StepOutcome o) {
        StepRecord r = steps.get(index);
        steps.set(index, new StepRecord(index, r.step(), r.startedAt(), at, o.status(), o.detail(), o.effectiveAt(),
                r.undo()));
    }

    /** Appends an undo step to the record; returns its index. */
    synchronized int addUndo(Step step) {
        steps.add(new StepRecord(steps.size(), step, null, null, StepStatus.NOT_RUN, "not run yet", null, true));
        return steps.size() - 1;
    }

    public synchronized void addHooks(List<dev.warden.hooks.HookOutcome> outcomes) {
        hooks.addAll(outcomes);
    }

    /** Every hook that ran for this operation, with status, attempts, duration and error. */
    public synchronized List<dev.warden.hooks.HookOutcome> hooks() {
        return List.copyOf(hooks);
    }

    /**
     * How long writes were refused: from the old primary turning read-only to the new one turning writable (the
     * times the statements returned). Null unless both happened.
     */
    public synchronized java.time.Duration writePause() {
        Instant readOnly = null;
        Instant writable = null;
        for (StepRecord r : steps) {
            if (r.step() instanceof dev.warden.plan.MakeReadOnly && r.effectiveAt() != null && !r.undo()) {
                readOnly = r.effectiveAt();
            }
            if (r.step() instanceof dev.warden.plan.Promote && r.effectiveAt() != null) {
                writable = r.effectiveAt();
            }
        }
        return readOnly == null || writable == null ? null : java.time.Duration.between(readOnly, writable);
    }

    synchronized StepRecord step(int index) {
        return steps.get(index);
    }

    void finish(Outcome outcome, String summary, Instant at) {
        this.summary = summary;
        this.endedAt = at;
        this.outcome = outcome;
    }
}
