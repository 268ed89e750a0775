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

    public enum Outcome {
        RUNNING, SUCCEEDED, FAILED, ROLLED_BACK,
        /** Cut short by a manager restart and stopped in a safe state instead of being finished. */
        INTERRUPTED
    }

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
    private volatile OperationJournal journal = OperationJournal.NONE;
    private volatile String resumedNote;
    /** What the old primary had executed once this operation fenced it while it answered; null otherwise. */
    private volatile dev.warden.model.GtidPosition fencedPosition;
    private volatile boolean obligationRecorded;
    private volatile String lost;
    private volatile boolean promotionRecorded;
    /**
     * The epoch of a break-glass failover ({@code warden failover --without-coordination}): run without a leadership
     * to prove; every step first checks that no other manager visibly leads the cluster instead.
     */
    public static final long WITHOUT_COORDINATION = -1;

    /** The leadership epoch under which this manager runs it (0 alone): every step first proves it. */
    private volatile long epoch;

    /** Runs under leadership epoch {@code e} from now on (a new leader that takes it over sets its own). */
    public void ledAt(long e) {
        epoch = e;
    }

    public long epoch() {
        return epoch;
    }

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

    /** An operation as the store recorded it (possibly unfinished). */
    public static Operation restored(String id, Plan plan, String startedBy, List<Vote> evidence, Instant startedAt,
                                     List<StepRecord> steps, List<dev.warden.hooks.HookOutcome> hooks, Outcome outcome,
                                     Instant endedAt, String summary) {
        Operation op = new Operation(id, plan, startedBy, evidence, startedAt);
        op.steps.clear();
        op.steps.addAll(steps);
        op.hooks.addAll(hooks);
        op.outcome = outcome;
        op.endedAt = endedAt;
        op.summary = summary;
        return op;
    }

    /** Records the operation in {@code journal} from now on; throws when the journal cannot record it. */
    public void open(OperationJournal journal) {
        journal.opened(this);
        this.journal = journal;
    }

    /** Continues recording a restored operation in {@code journal}. */
    public void reopen(OperationJournal journal) {
        this.journal = journal;
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

    void started(int index, Instant at) {
        StepRecord r;
        synchronized (this) {
            r = steps.get(index);
            r = new StepRecord(index, r.step(), at, null, StepStatus.RUNNING, "running", null, r.undo());
            steps.set(index, r);
        }
        journal.step(this, r);
    }

    void ended(int index, Instant at, StepOutcome o) {
        StepRecord r;
        synchronized (this) {
            r = steps.get(index);
            r = new StepRecord(index, r.step(), r.startedAt(), at, o.status(), o.detail(), o.effectiveAt(), r.undo());
            steps.set(index, r);
        }
        journal.step(this, r);
    }

    /** Records what a restart found about a step cut short, without running it. */
    void settled(int index, StepOutcome o, Instant at) {
        StepRecord r;
        synchronized (this) {
            r = steps.get(index);
            r = new StepRecord(index, r.step(), r.startedAt() == null ? at : r.startedAt(), at, o.status(), o.detail(),
                    o.effectiveAt() != null ? o.effectiveAt() : r.effectiveAt(), r.undo());
            steps.set(index, r);
        }
        journal.step(this, r);
    }

    /** Appends an undo step to the record; returns its index. */
    int addUndo(Step step) {
        StepRecord r;
        synchronized (this) {
            r = new StepRecord(steps.size(), step, null, null, StepStatus.NOT_RUN, "not run yet", null, true);
            steps.add(r);
        }
        journal.step(this, r);
        return r.index();
    }

    public void addHooks(List<dev.warden.hooks.HookOutcome> outcomes) {
        synchronized (this) {
            hooks.addAll(outcomes);
        }
        journal.hooks(this, outcomes);
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

    /** Keeps the obligation to fence the old primary before a failover promotes; throws when it cannot. */
    void beforePromotion() {
        journal.beforePromotion(this);
        obligationRecorded = true;
    }

    /** The failover's promotion took effect (kept at once, see {@link OperationJournal#promoted}). */
    void promoted() {
        journal.promoted(this);
        promotionRecorded = true;
    }

    /** What this operation lost on purpose (a forced failover), for its summary; null when nothing. */
    void lost(String what) {
        this.lost = what;
    }

    public String lost() {
        return lost;
    }

    /** Whether this run kept the obligation to fence the old primary. */
    public boolean obligationRecorded() {
        return obligationRecorded;
    }

    /** Whether this run kept the promotion's consequences (anti-flap, last failover). */
    public boolean promotionRecorded() {
        return promotionRecorded;
    }

    /** The old primary answered and was fenced with this executed position: the candidate must have all of it. */
    void fenced(dev.warden.model.GtidPosition position) {
        this.fencedPosition = position;
    }

    dev.warden.model.GtidPosition fencedPosition() {
        return fencedPosition;
    }

    /** The record of this operation's step of {@code kind} (the first one), or null. */
    synchronized StepRecord stepOf(Class<? extends Step> kind) {
        return steps.stream().filter(r -> kind.isInstance(r.step()) && !r.undo()).findFirst().orElse(null);
    }

    /** A restart found this operation cut short: the final summary starts with what happened then. */
    void resumed(String note) {
        this.resumedNote = note;
    }

    void finish(Outcome outcome, String summary, Instant at) {
        this.summary = resumedNote == null ? summary : resumedNote + " " + summary;
        this.endedAt = at;
        this.outcome = outcome;
        journal.finished(this);
    }
}
