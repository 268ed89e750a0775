package dev.warden.actions;

import dev.warden.logging.LogContext;
import dev.warden.plan.Plan;
import dev.warden.plan.PlanKind;
import dev.warden.plan.Repoint;
import dev.warden.plan.Step;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a plan's steps in order, re-pointing replicas in parallel, logging each step's start and end. A failed
 * step stops the plan; the operation then says which steps ran, what the cluster looks like and what to do.
 */
public final class PlanRunner {

    private static final Logger log = LoggerFactory.getLogger(PlanRunner.class);

    private final StepExecutor executor;
    private final ExecutorService pool;
    private final Clock clock;
    private final StepGuard guard;

    /** See {@link StepExecutor#prepare}. */
    public void prepare(java.util.Collection<dev.warden.model.InstanceKey> servers) {
        executor.prepare(servers);
    }

    public void closePrepared() {
        executor.closePrepared();
    }

    public void shutDownPrepared() {
        executor.shutDownPrepared();
    }

    public PlanRunner(StepExecutor executor, ExecutorService pool, Clock clock) {
        this(executor, pool, clock, StepGuard.NONE);
    }

    /** @param guard checked before every step; when it refuses, the operation stops where it is, unfinished */
    public PlanRunner(StepExecutor executor, ExecutorService pool, Clock clock, StepGuard guard) {
        this.executor = executor;
        this.pool = pool;
        this.clock = clock;
        this.guard = guard;
    }

    /** @throws StepGuard.Refused when this manager may no longer act on the operation's cluster */
    public void check(Operation op) {
        guard.check(op);
    }

    public void run(Operation op) {
        try (Sessions sessions = executor.sessions()) {
            PausePoint.reached("opened", op.id());
            run(op, sessions, 0);
        }
    }

    /**
     * Finishes an operation a restart found unfinished: records what was found about steps that were cut short,
     * then runs every step from {@code from} on that does not hold yet (steps are idempotent: work found done
     * reports ALREADY_DONE).
     */
    public void resume(Operation op, java.util.Map<Integer, StepOutcome> found, int from, String note) {
        op.resumed(note);
        java.time.Instant now = clock.instant();
        found.forEach((i, o) -> op.settled(i, o, now));
        try (Sessions sessions = executor.sessions()) {
            run(op, sessions, from);
        }
    }

    /** Puts things back for an operation a restart found cut short before its point of no return. */
    public void rollBackInterrupted(Operation op, java.util.Map<Integer, StepOutcome> found, String why) {
        op.resumed("Cut short by a manager restart:");
        java.time.Instant now = clock.instant();
        found.forEach((i, o) -> op.settled(i, o, now));
        try (Sessions sessions = executor.sessions()) {
            rollBack(op, sessions, why, Operation.Outcome.INTERRUPTED);
        }
    }

    /** Makes the old primary writable again for an operation a restart found cut short, then stops it. */
    public void restoreInterrupted(Operation op, java.util.Map<Integer, StepOutcome> found,
                                   dev.warden.model.InstanceKey server, String summary) {
        op.resumed("Cut short by a manager restart:");
        java.time.Instant now = clock.instant();
        found.forEach((i, o) -> op.settled(i, o, now));
        StepOutcome o;
        try (Sessions sessions = executor.sessions()) {
            o = runStep(op, op.addUndo(new dev.warden.plan.MakeWritable(server, java.time.Duration.ofSeconds(5))),
                    sessions);
        }
        String result = o.failed() ? "; it could not be made writable again (" + o.detail() + "): the cluster has "
                + "no writable primary, make it writable by hand" : "; " + o.detail();
        guard.check(op);
        op.finish(Operation.Outcome.INTERRUPTED, summary + result + ".", clock.instant());
        log.error("{}: {}", op.id(), op.summary());
    }

    /** Stops an operation a restart found cut short, in the state it is in, saying why. */
    public void stopInterrupted(Operation op, java.util.Map<Integer, StepOutcome> found, String summary) {
        java.time.Instant now = clock.instant();
        found.forEach((i, o) -> op.settled(i, o, now));
        guard.check(op);
        op.finish(Operation.Outcome.INTERRUPTED, summary, now);
        log.error("{}: {}", op.id(), summary);
    }

    private void run(Operation op, Sessions sessions, int from) {
        try (LogContext c = LogContext.with("cluster", op.plan().cluster());
             LogContext o = LogContext.with("operation", op.id())) {
            runSteps(op, sessions, from);
        }
    }

    private void runSteps(Operation op, Sessions sessions, int from) {
        Plan plan = op.plan();
        log.info("{}: {} {} ({}): {}", op.id(), from == 0 ? "starting" : "resuming at step " + (from + 1),
                plan.summary(), op.startedBy(), plan.trigger());
        // Connect before anything changes, so no handshake happens while writes are paused. A dead old
        // primary is not waited for.
        if (plan.kind() == PlanKind.SWITCHOVER) {
            sessions.warm(java.time.Duration.ofSeconds(2), plan.oldPrimary(), plan.candidate());
        } else if (plan.candidate() != null) {
            sessions.warm(java.time.Duration.ofSeconds(2), plan.candidate());
        }
        List<Step> steps = plan.steps();
        int i = from;
        while (i < steps.size()) {
            int groupEnd = i + 1;
            while (groupEnd < steps.size() && together(steps.get(groupEnd - 1), steps.get(groupEnd))) {
                groupEnd++;
            }
            List<CompletableFuture<StepOutcome>> group = new ArrayList<>();
            List<Integer> toRun = new ArrayList<>();
            for (int j = i; j < groupEnd; j++) {
                // A publish found done by a resumed operation runs again: the stores may have changed since.
                if (!op.step(j).status().holds() || op.step(j).step() instanceof dev.warden.plan.PublishPrimary) {
                    toRun.add(j);
                }
            }
            boolean promotes = plan.kind() == PlanKind.FAILOVER && toRun.stream()
                    .anyMatch(j -> op.step(j).step() instanceof dev.warden.plan.Promote);
            if (promotes && !fenceStillPending(op, sessions, i)) {
                finishFailed(op, sessions);
                return;
            }
            if (promotes) {
                try {
                    op.beforePromotion();
                } catch (RuntimeException e) {
                    int at = toRun.get(0);
                    op.started(at, clock.instant());
                    op.ended(at, clock.instant(), StepOutcome.failed(StepExecutor.NOT_PROMOTED + " (not run): the "
                            + "obligation to keep " + plan.oldPrimary() + " fenced could not be kept first ("
                            + e.getMessage() + ")"));
                    finishFailed(op, sessions);
                    return;
                }
            }
            for (int index : toRun) {
                group.add(toRun.size() == 1 ? CompletableFuture.completedFuture(runStep(op, index, sessions))
                        : CompletableFuture.supplyAsync(() -> runStep(op, index, sessions), pool));
            }
            List<StepOutcome> outcomes = group.stream().map(PlanRunner::joined).toList();
            boolean failed = false;
            for (int k = 0; k < outcomes.size(); k++) {
                // After a promotion, a proxy that cannot be updated does not stop the re-points: the old primary is
                // fenced, so writers sent there fail rather than split; the record says so.
                Step st = op.step(toRun.get(k)).step();
                boolean bestEffort = (plan.kind() == PlanKind.FAILOVER && st instanceof dev.warden.plan.RouteWriters)
                        || (st instanceof dev.warden.plan.PublishPrimary pp && !pp.gate());
                failed |= outcomes.get(k).failed() && !bestEffort;
            }
            if (promotes && !failed) {
                try {
                    op.promoted();
                } catch (RuntimeException e) {
                    log.error("{}: the promotion took effect but its record could not be kept: {}", op.id(),
                            e.getMessage());
                }
            }
            if (failed) {
                if (i < plan.undoBefore() && !plan.undo().isEmpty()) {
                    String failure = op.steps().stream().filter(r -> r.status() == StepStatus.FAILED)
                            .map(StepRecord::detail).findFirst().orElse("a step failed");
                    rollBack(op, sessions, failure, Operation.Outcome.ROLLED_BACK);
                } else {
                    finishFailed(op, sessions);
                }
                return;
            }
            i = groupEnd;
        }
        String pending = op.steps().stream().filter(r -> r.status() == StepStatus.PENDING)
                .map(StepRecord::detail).reduce((a, b) -> a + "; " + b).map(p -> "; pending: " + p).orElse("");
        String notRouted = op.steps().stream().filter(r -> r.status() == StepStatus.FAILED
                        && r.step() instanceof dev.warden.plan.RouteWriters)
                .map(StepRecord::detail).reduce((a, b) -> a + "; " + b)
                .map(p -> "; HAProxy NOT UPDATED (point its writer backend at " + plan.candidate() + " by hand): " + p)
                .orElse("");
        String notPublished = op.steps().stream().filter(r -> r.status() == StepStatus.FAILED
                        && r.step() instanceof dev.warden.plan.PublishPrimary)
                .map(StepRecord::detail).reduce((a, b) -> a + "; " + b)
                .map(p -> "; KEY-VALUE STORES NOT ALL UPDATED: " + p).orElse("");
        PausePoint.reached("finish", op.id());
        guard.check(op);
        op.finish(Operation.Outcome.SUCCEEDED, plan.summary() + " succeeded" + pending + notRouted + notPublished
                + (op.lost() == null ? "" : "; lost: " + op.lost()), clock.instant());
        log.info("{}: {}", op.id(), op.summary());
    }

    /**
     * A pending fence was accepted because the old primary could not be reached; it may be back by now (a restart, a
     * healed partition, a thaw) and writable. It is tried again just before the promotion: still unreachable, the
     * promotion goes on; fenced now, the candidate's catch-up is checked again against what it had; answering but
     * not fenced, nothing is promoted. Returns false when the failover must stop.
     */
    /** A pending fence older than this is tried once more before the promotion. */
    static final java.time.Duration REFENCE_AFTER = java.time.Duration.ofMillis(200);

    private boolean fenceStillPending(Operation op, Sessions sessions, int before) {
        List<Step> steps = op.plan().steps();
        for (int j = 0; j < before; j++) {
            StepRecord fence = op.step(j);
            if (!(steps.get(j) instanceof dev.warden.plan.FenceOldPrimary) || fence.status() != StepStatus.PENDING
                    || fence.endedAt() == null
                    || java.time.Duration.between(fence.endedAt(), clock.instant()).compareTo(REFENCE_AFTER) < 0) {
                continue; // found unreachable a moment ago
            }
            String earlier = fence.detail();
            StepOutcome again = runStep(op, j, sessions);
            if (again.failed()) {
                return false;
            }
            if (again.status() == StepStatus.PENDING) {
                continue;
            }
            log.warn("{}: the old primary answered again before the promotion (earlier: {}); {}", op.id(), earlier,
                    again.detail());
            for (int k = 0; k < before; k++) {
                if (steps.get(k) instanceof dev.warden.plan.CatchUp && runStep(op, k, sessions).failed()) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Steps that touch different servers and do not depend on each other run at the same time: fencing the old
     * primary while the candidate applies its relay log (promotion waits for both), and re-pointing replicas.
     */
    static boolean together(Step a, Step b) {
        // A best-effort publish runs beside the re-points: a store that does not answer must not hold them up.
        boolean aFollows = a instanceof Repoint || (a instanceof dev.warden.plan.PublishPrimary p && !p.gate());
        return (a instanceof dev.warden.plan.FenceOldPrimary && b instanceof dev.warden.plan.CatchUp)
                || (aFollows && b instanceof Repoint);
    }

    /** A step's outcome; a refusal of the guard in a parallel step is thrown as it is. */
    private static StepOutcome joined(CompletableFuture<StepOutcome> f) {
        try {
            return f.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof StepGuard.Refused r) {
                throw r;
            }
            throw e;
        }
    }

    private StepOutcome runStep(Operation op, int index, Sessions sessions) {
        Step step = op.step(index).step();
        guard.check(op);
        op.started(index, clock.instant());
        log.info("{}: step {} started: {}", op.id(), index + 1, step.describe());
        PausePoint.reached("before:" + step.kind(), op.id());
        // Again right before it runs: recording its start may have taken long enough for a new leader to take over.
        guard.check(op);
        StepOutcome o = executor.run(step, op, sessions);
        PausePoint.reached("ran:" + step.kind(), op.id());
        // Deposed while the step ran: the record belongs to the next leader now, which reads the servers itself.
        guard.check(op);
        op.ended(index, clock.instant(), o);
        PausePoint.reached("after:" + step.kind(), op.id());
        StepRecord r = op.step(index);
        log.info("{}: step {} {} in {} ms: {}", op.id(), index + 1, o.status(), r.took().toMillis(), o.detail());
        return o;
    }

    /**
     * A step before the point of no return failed (or a restart cut it short): put things back, read the servers
     * again, and say what they show. "Nothing else changed" is written only when that was verified.
     */
    private void rollBack(Operation op, Sessions sessions, String failure, Operation.Outcome outcome) {
        List<String> undone = new ArrayList<>();
        boolean undoFailed = false;
        for (Step u : op.plan().undo()) {
            int index = op.addUndo(u);
            StepOutcome o = runStep(op, index, sessions);
            undone.add(u.describe() + ": " + o.status() + (o.failed() && u instanceof dev.warden.plan.PublishPrimary
                    ? " (" + o.detail() + ")" : ""));
            // The servers are what a rollback restores; a store not written back is repaired by the next cycles.
            undoFailed |= o.failed() && !(u instanceof dev.warden.plan.PublishPrimary);
        }
        String verified = undoFailed ? "" : executor.verifyRolledBack(op.plan());
        boolean clean = !undoFailed && verified.startsWith(StepExecutor.ROLLED_BACK_CLEANLY);
        String summary;
        if (clean) {
            summary = op.plan().summary() + " ROLLED BACK: " + failure + ". Undo: " + String.join("; ", undone) + ". "
                    + verified;
        } else {
            summary = op.plan().summary() + " FAILED and could not be rolled back cleanly: " + failure + ". Undo: "
                    + String.join("; ", undone) + ". " + (undoFailed ? "Check the old primary " + op.plan().oldPrimary()
                    + " by hand: it may still be read-only." : verified);
        }
        guard.check(op);
        op.finish(clean ? outcome : Operation.Outcome.FAILED, summary, clock.instant());
        log.error("{}: {}", op.id(), summary);
    }

    /**
     * A failover that fenced a primary which answered, and then promoted nobody, would leave the cluster without a
     * writable primary by Warden's own doing: the old primary is made writable again (verified), as before the
     * failover. Not when a promotion was attempted (it may have taken effect), nor when the old primary was already
     * read-only or fenced by a hook. Returns the sentence for the record, empty when nothing was to be restored.
     */
    /**
     * A promotion that started and failed without being verified as not done: it may have taken effect, so what
     * follows a promotion (the old primary stays fenced) must hold.
     */
    public static boolean promotionMayHaveTakenEffect(Operation op) {
        return op.steps().stream().anyMatch(r -> !r.undo() && r.step() instanceof dev.warden.plan.Promote
                && (r.status() == StepStatus.FAILED || r.status() == StepStatus.RUNNING)
                && (r.detail() == null || !r.detail().contains(StepExecutor.NOT_PROMOTED)));
    }

    private String restoreOldPrimary(Operation op, Sessions sessions) {
        Plan plan = op.plan();
        if (plan.kind() != PlanKind.FAILOVER || promotionMayHaveTakenEffect(op) || op.steps().stream().anyMatch(
                r -> !r.undo() && r.step() instanceof dev.warden.plan.Promote && r.status().holds())) {
            return "";
        }
        StepRecord fence = op.stepOf(dev.warden.plan.FenceOldPrimary.class);
        if (fence == null || !Fence.madeReadOnly(fence.status(), fence.detail())) {
            return "";
        }
        var step = (dev.warden.plan.FenceOldPrimary) fence.step();
        StepOutcome o = runStep(op, op.addUndo(new dev.warden.plan.MakeWritable(step.server(), step.timeout())),
                sessions);
        return o.failed() ? " No replica was promoted, and " + step.server() + ", which this failover had made "
                + "read-only, could not be made writable again (" + o.detail() + "): the cluster has no writable "
                + "primary; make it writable by hand."
                : " No replica was promoted; " + step.server() + ", which this failover had made read-only, is "
                + "writable again: " + o.detail() + ".";
    }

    /** Whether the old primary's fence took (done, or pending on a server that cannot be reached). */
    private static boolean fenceHeld(Operation op) {
        StepRecord f = op.stepOf(dev.warden.plan.FenceOldPrimary.class);
        return f != null && (f.status().holds() || f.status() == StepStatus.PENDING);
    }

    /**
     * A failover whose gate publish named the candidate in some store (written, or written in part) and that then
     * promoted nobody: the stores name the old primary again, as before the failover, so that nobody is routed to a
     * read-only server the failover did not make the primary. Returns the sentence for the record.
     */
    private String republishOldPrimary(Operation op, Sessions sessions) {
        Plan plan = op.plan();
        if (plan.kind() != PlanKind.FAILOVER || plan.oldPrimary() == null || promotionMayHaveTakenEffect(op)) {
            return "";
        }
        java.util.Optional<StepRecord> gate = op.steps().stream().filter(r -> !r.undo()
                && r.step() instanceof dev.warden.plan.PublishPrimary p && p.gate()
                && (r.status().holds() || (r.status() == StepStatus.FAILED && r.detail() != null
                && r.detail().contains("written in")))).findFirst();
        if (gate.isEmpty()) {
            return "";
        }
        dev.warden.plan.PublishPrimary back = new dev.warden.plan.PublishPrimary(plan.oldPrimary(),
                gate.get().step().timeout(), true);
        StepOutcome o = runStep(op, op.addUndo(back), sessions);
        return o.failed() ? " The old primary " + plan.oldPrimary() + " was written back to the key-value stores "
                + "that answer (" + o.detail() + "); any other may still name " + plan.candidate() + ", which was not "
                + "promoted." : " The key-value stores name " + plan.oldPrimary() + " again.";
    }

    private void finishFailed(Operation op, Sessions sessions) {
        Plan plan = op.plan();
        List<String> done = new ArrayList<>();
        String failure = "";
        for (StepRecord r : op.steps()) {
            if (r.status() == StepStatus.DONE || r.status() == StepStatus.ALREADY_DONE) {
                done.add(r.step().kind() + " " + r.step().server());
            } else if (r.status() == StepStatus.FAILED) {
                failure = r.detail();
            }
        }
        boolean promoted = op.steps().stream().anyMatch(r -> r.step() instanceof dev.warden.plan.Promote
                && (r.status() == StepStatus.DONE || r.status() == StepStatus.ALREADY_DONE));
        String state = plan.kind() != PlanKind.FAILOVER ? ""
                : promoted ? " The new primary " + plan.candidate() + " is writable; the steps after the failure did "
                + "not run: re-point the remaining replicas to it by hand."
                : fenceHeld(op) ? " No replica was promoted: the cluster has no writable primary."
                : " No replica was promoted; the old primary was not fenced.";
        String restored = promoted ? "" : restoreOldPrimary(op, sessions);
        String stores = promoted ? "" : republishOldPrimary(op, sessions);
        String summary = plan.summary() + " FAILED: " + failure + ". Done before: "
                + (done.isEmpty() ? "nothing" : String.join(", ", done)) + "." + (restored.isEmpty() ? state : restored)
                + stores;
        guard.check(op);
        op.finish(Operation.Outcome.FAILED, summary, clock.instant());
        log.error("{}: {}", op.id(), summary);
    }
}
