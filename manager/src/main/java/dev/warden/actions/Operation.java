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

    public enum Outcome { RUNNING, SUCCEEDED, FAILED }

    private final String id;
    private final Plan plan;
    private final String startedBy;
    private final List<Vote> evidence;
    private final Instant startedAt;
    private final List<StepRecord> steps = new ArrayList<>();
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
            steps.add(new StepRecord(i, plan.steps().get(i), null, null, StepStatus.NOT_RUN, "not run yet"));
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
        Step s = steps.get(index).step();
        steps.set(index, new StepRecord(index, s, at, null, StepStatus.NOT_RUN, "running"));
    }

    synchronized void ended(int index, Instant at, StepOutcome o) {
        StepRecord r = steps.get(index);
        steps.set(index, new StepRecord(index, r.step(), r.startedAt(), at, o.status(), o.detail()));
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
