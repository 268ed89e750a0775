package dev.warden.engine;

import dev.warden.actions.Operation;
import dev.warden.actions.OperationJournal;
import dev.warden.actions.OperationLog;
import dev.warden.actions.PlanRunner;
import dev.warden.actions.StepOutcome;
import dev.warden.actions.StepRecord;
import dev.warden.actions.StepStatus;
import dev.warden.decision.Analyzer;
import dev.warden.decision.ClusterView;
import dev.warden.decision.Decision;
import dev.warden.decision.FailoverRecord;
import dev.warden.decision.Finding;
import dev.warden.decision.Planner;
import dev.warden.decision.Resumption;
import dev.warden.hooks.HookPayload;
import dev.warden.model.HookEvent;
import dev.warden.model.InstanceKey;
import dev.warden.plan.Plan;
import dev.warden.plan.PlanKind;
import dev.warden.plan.Promote;
import dev.warden.store.Store;
import dev.warden.store.StoreException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one cluster's operations, one at a time under the cluster's lock: automatic failovers (after probing and
 * deciding again on fresh data), aftercare, operations a crash cut short, and what people ask for (switchover,
 * failover). Every operation is recorded in the store before it starts; one that cannot be recorded does not
 * start.
 */
final class ClusterOperations {

    private static final Logger log = LoggerFactory.getLogger(ClusterOperations.class);

    /** What the operations need from the cluster they act on. */
    interface Cluster {
        String name();

        /** Probes every server now and returns the view of that. */
        ClusterView freshView();

        /** After a promotion: the anti-flap block and the fenced old primary, in memory and in the store. */
        void promoted(FailoverRecord record);

        /**
         * Before a failover promotes: the obligation to keep its old primary fenced, in the store first (throws
         * {@link StoreException} when it cannot be kept: then nothing is promoted) and in memory.
         */
        void fenceObligation(Operation op);

        /** A failover ended without promoting: the obligation it kept (if any) is lifted. */
        void notPromoted(Operation op);

        /** Why this manager must not act now (its store lock is lost, it does not lead the cluster), or null. */
        String managerProblem();

        /** The epoch of this manager's leadership of the cluster (0 alone): its operations run under it. */
        long epoch();

        /**
         * Why a break-glass failover (without coordination) must not run now, or null: another manager visibly
         * leads the cluster, this one leads it (no glass to break), an operation is unfinished in the shared journal,
         * or the store cannot be used. Reads the shared store's controls first.
         */
        String withoutCoordinationRefusal();

        /** The primary moved: heartbeat lag is measured afresh. */
        void primaryMoved();

        void interrupted(Operation op);

        void wakeup();
    }

    private final Cluster cluster;
    private final PlanRunner runner;
    private final OperationLog operations;
    private final Store store;
    private final OperationJournal journal;
    private final ClusterMonitor.Events events;
    private final dev.warden.config.SwitchoverPolicy switchoverPolicy;
    private final Clock clock;
    private final java.time.Duration retryInterval;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile Operation running;

    ClusterOperations(Cluster cluster, PlanRunner runner, OperationLog operations, Store store,
                      MonitorListener listener, ClusterMonitor.Events events,
                      dev.warden.config.SwitchoverPolicy switchoverPolicy, Clock clock, java.time.Duration retryInterval) {
        this.retryInterval = retryInterval;
        this.cluster = cluster;
        this.runner = runner;
        this.operations = operations;
        this.store = store;
        this.events = events;
        this.switchoverPolicy = switchoverPolicy;
        this.clock = clock;
        this.journal = OperationJournal.both(store.operations(), new OperationJournal() {
            @Override
            public void opened(Operation op) {
                listener.operationChanged(op);
            }

            @Override
            public void step(Operation op, StepRecord record) {
                listener.operationChanged(op);
            }

            @Override
            public void hooks(Operation op, List<dev.warden.hooks.HookOutcome> outcomes) {
                listener.operationChanged(op);
            }

            @Override
            public void finished(Operation op) {
                listener.operationChanged(op);
            }

            @Override
            public void beforePromotion(Operation op) {
                cluster.fenceObligation(op);
            }

            @Override
            public void promoted(Operation op) {
                Plan p = op.plan();
                cluster.promoted(new FailoverRecord(op.id(), p.oldPrimary(), p.candidate(), clock.instant()));
            }
        });
    }

    Optional<Operation> running() {
        return Optional.ofNullable(running);
    }

    private String name() {
        return cluster.name();
    }

    // ---- automatic --------------------------------------------------------------------------------------

    /** The last automatic failover that stopped before promoting anyone, and when the next may start. */
    private volatile Operation lastFailedAttempt;
    private volatile Instant retryAt;

    /** Takes the lock, probes and decides again on fresh data, and runs the failover that decision gives. */
    Decision failover(Finding trigger, Decision.Act first) {
        Instant until = retryAt;
        if (until != null && clock.instant().isBefore(until)) {
            return new Decision.Skip("the last automatic failover, " + lastFailedAttempt.id() + ", stopped before "
                    + "promoting anyone (" + lastFailedAttempt.summary() + "); the next automatic attempt is at "
                    + until + " (failover.retry_interval); warden failover tries now");
        }
        if (!lock.tryLock()) {
            return new Decision.Skip("another operation runs on cluster " + name());
        }
        try {
            // Probed again with a write probe: a hung primary's evidence is a write that still cannot commit.
            ClusterView view = cluster.freshView();
            Instant now = clock.instant();
            // Any confirmed finding that calls for replacing the same primary (DeadPrimary and
            // DeadPrimaryAndSomeReplicas differ by one slow replica probe).
            Optional<Finding> again = Analyzer.analyze(view, now).stream().filter(f -> f.code() == trigger.code()
                    || (f.code().primaryGone() && !f.pending() && java.util.Objects.equals(f.server(),
                    trigger.server()))).findFirst();
            if (again.isEmpty()) {
                String why = "re-checked on fresh data: " + trigger.code() + " no longer holds";
                log.info("Cluster {}: {} (was: {}).", name(), why, first.plan().summary());
                return new Decision.Skip(why);
            }
            Decision d = Planner.decide(again.get(), view, now);
            if (!(d instanceof Decision.Act act)) {
                return d;
            }
            Operation op = run(act.plan(), again.get(), Actor.AUTOMATIC);
            if (op == null) {
                return notRecorded();
            }
            if (!promoted(op)) {
                lastFailedAttempt = op;
                retryAt = clock.instant().plus(retryInterval);
            } else {
                retryAt = null;
            }
            return act;
        } finally {
            lock.unlock();
        }
    }

    private Decision.Skip notRecorded() {
        return new Decision.Skip("the failover was not started: it could not be recorded in the store "
                + store.settings().display() + " (" + store.problem().orElse("?") + ")");
    }

    /** Aftercare's plans (fence again, re-attach), if no other operation holds the lock. */
    void aftercare(List<Plan> plans) {
        if (plans.isEmpty() || !lock.tryLock()) {
            return;
        }
        try {
            Instant now = clock.instant();
            for (Plan p : plans) {
                // A re-attach that failed waits before it is tried again (it holds the cluster's thread while it
                // waits for the threads); a fence is tried every cycle.
                dev.warden.model.InstanceKey server = p.steps().isEmpty() ? null : p.steps().get(0).server();
                Instant failed = p.kind() == PlanKind.REJOIN && server != null ? rejoinFailedAt.get(server) : null;
                if (failed != null && now.isBefore(failed.plus(REJOIN_BACKOFF))) {
                    continue;
                }
                Operation op = run(p, null, Actor.AUTOMATIC);
                if (op == null && cluster.managerProblem() != null) {
                    break; // no longer leading: the rest is the next leader's
                }
                if (p.kind() == PlanKind.REJOIN && op != null && server != null) {
                    if (op.outcome() == Operation.Outcome.SUCCEEDED) {
                        rejoinFailedAt.remove(server);
                    } else {
                        rejoinFailedAt.put(server, clock.instant());
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** How long a failed re-attach of a server waits before aftercare tries it again. */
    static final java.time.Duration REJOIN_BACKOFF = java.time.Duration.ofSeconds(30);
    private final Map<dev.warden.model.InstanceKey, Instant> rejoinFailedAt =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * This manager lost the leadership of the cluster during {@code op}: the step it was about to run did not run,
     * and the operation stays unfinished in the shared journal, where the next leader finds it and finishes, rolls
     * back or stops it by the rules of crash recovery.
     */
    private void leftToTheNextLeader(Operation op, RuntimeException why) {
        log.error("Cluster {}: {} ({}) stopped {}: {}; it stays unfinished in the journal for the next leader of the "
                + "cluster.", name(), op.id(), op.plan().summary(), cutAt(op), why.getMessage());
    }

    /** Records and runs a plan; null when it could not be recorded (then nothing ran). */
    private Operation run(Plan plan, Finding trigger, Actor who) {
        return run(plan, trigger, who, false);
    }

    /** @param breakGlass a failover without coordination: no leadership is proved, none other may be visible */
    private Operation run(Plan plan, Finding trigger, Actor who, boolean breakGlass) {
        Instant start = clock.instant();
        Operation op = new Operation(operations.nextId(name(), start), plan, who.display(),
                trigger == null ? List.of() : trigger.votes(), start);
        op.ledAt(breakGlass ? Operation.WITHOUT_COORDINATION : cluster.epoch());
        String notActing = breakGlass ? cluster.withoutCoordinationRefusal() : cluster.managerProblem();
        if (notActing != null) {
            log.info("Cluster {}: not starting {}: {}.", name(), plan.summary(), notActing);
            return null;
        }
        try {
            runner.check(op);
            op.open(journal);
        } catch (dev.warden.actions.StepGuard.Refused deposed) {
            log.info("Cluster {}: not starting {}: {}.", name(), plan.summary(), deposed.getMessage());
            return null;
        } catch (StoreException e) {
            log.error("Cluster {}: not starting {}: {}.", name(), plan.summary(), e.getMessage());
            return null;
        }
        operations.running(op);
        running = op;
        try {
            runner.run(op);
        } catch (dev.warden.actions.StepGuard.Refused deposed) {
            leftToTheNextLeader(op, deposed);
            return op;
        } finally {
            running = null;
            operations.ended(op);
        }
        dev.warden.actions.PausePoint.reached("finished", op.id());
        afterRun(op);
        return op;
    }

    /** Hooks for failures, and what a promotion leaves behind. */
    private void afterRun(Operation op) {
        afterRun(op, true, false);
    }

    /**
     * @param recordPromotion     record a promotion that took effect (fence the old primary from now on); not for
     *                            an operation found unfinished long after (the cluster may have moved on since)
     * @param verifiedNotPromoted a promotion cut short was read again and had not taken effect
     */
    private void afterRun(Operation op, boolean recordPromotion, boolean verifiedNotPromoted) {
        Plan plan = op.plan();
        boolean moves = plan.kind() == PlanKind.FAILOVER || plan.kind() == PlanKind.SWITCHOVER;
        if (op.outcome() != Operation.Outcome.SUCCEEDED && moves) {
            // A failover that failed after its promotion took effect still has a new primary: hooks are told so.
            events.fire(new HookPayload(plan.kind() == PlanKind.FAILOVER ? HookEvent.FAILOVER_FAILED
                    : HookEvent.SWITCHOVER_FAILED, name(), op.id(), plan.oldPrimary(),
                    plan.kind() == PlanKind.FAILOVER && promoted(op) ? plan.candidate() : null, plan.candidate(),
                    plan.kind() == PlanKind.FAILOVER ? plan.knownMissing() : null, null, op.summary(),
                    clock.instant(), HookPayload.OperationFacts.of(plan,
                    !Actor.AUTOMATIC.display().equals(op.startedBy()))));
        }
        if (plan.kind() == PlanKind.FAILOVER && promoted(op)) {
            if (!op.promotionRecorded() && recordPromotion) {
                cluster.promoted(new FailoverRecord(op.id(), plan.oldPrimary(), plan.candidate(), clock.instant()));
            }
        } else if (plan.kind() == PlanKind.FAILOVER && op.outcome() != Operation.Outcome.RUNNING
                && promotionAttempted(op) && !verifiedNotPromoted) {
            // It may have taken effect without Warden knowing: the old primary stays fenced.
            log.error("Cluster {}: {} may have promoted {} (its promotion failed part way and could not be read "
                    + "again): {} stays fenced; check {} by hand.", name(), op.id(), plan.candidate(),
                    plan.oldPrimary(), plan.candidate());
        } else if (plan.kind() == PlanKind.FAILOVER && op.outcome() != Operation.Outcome.RUNNING) {
            cluster.notPromoted(op);
        } else if (plan.kind() == PlanKind.SWITCHOVER && promoted(op)) {
            cluster.primaryMoved();
            log.info("Cluster {}: switchover {} -> {} done; writes paused {} ms.", name(), plan.oldPrimary(),
                    plan.candidate(), op.writePause() == null ? "?" : op.writePause().toMillis());
        }
        if (moves) {
            cluster.wakeup();
        }
    }

    private static boolean promotionAttempted(Operation op) {
        return dev.warden.actions.PlanRunner.promotionMayHaveTakenEffect(op);
    }

    private static boolean promoted(Operation op) {
        for (StepRecord r : op.steps()) {
            if (r.step() instanceof Promote) {
                return r.status().holds();
            }
        }
        return false;
    }

    // ---- after a crash ----------------------------------------------------------------------------------

    /**
     * Operations a manager crash cut short, before this run decides anything: each is decided on a fresh probe
     * ({@link Resumption}) and finished, rolled back or stopped in a safe state; a stopped one is reported as a
     * finding until acknowledged. A failover that had not promoted yet goes on only once this run's own votes confirm
     * the death again: while they are pending it waits (returned, to be decided again next cycle), until
     * {@code giveUpAt}, when it is stopped.
     *
     * @return the operations still waiting for evidence
     */
    List<Operation> resume(List<Operation> unfinished, ClusterView first, Instant giveUpAt) {
        lock.lock();
        List<Operation> waiting = new java.util.ArrayList<>();
        try {
            ClusterView view = first;
            for (Operation op : unfinished) {
                op.reopen(journal);
                List<Resumption.StepState> states = op.steps().stream().filter(r -> !r.undo())
                        .map(r -> new Resumption.StepState(r.step(), r.status().holds(),
                                r.step() instanceof dev.warden.plan.FenceOldPrimary
                                        && dev.warden.actions.Fence.madeReadOnly(r.status(), r.detail()))).toList();
                Instant now = clock.instant();
                Resumption.Verdict v = Resumption.decide(op.plan(), states, view, Analyzer.analyze(view, now));
                String at = cutAt(op);
                boolean aged = op.startedAt().isBefore(now.minus(RESUME_MAX_AGE));
                // Read on this run's probe: the candidate answers and is not a writable primary, so a promotion cut
                // short did not take effect.
                var cand = op.plan().candidate() == null ? null : view.topology().nodes().get(op.plan().candidate());
                boolean notPromoted = cand != null && cand.snapshot().reachable()
                        && (!cand.snapshot().state().readOnly().writable()
                        || !cand.snapshot().state().replication().isEmpty());
                if (aged && (v instanceof Resumption.Resume || v instanceof Resumption.AwaitEvidence)) {
                    // Too old to carry forward: what it decided then says nothing about the cluster now. Putting
                    // things back (a rollback, giving back writes) is still done.
                    v = new Resumption.Stop(foundOf(v instanceof Resumption.Resume r ? r : null), "found unfinished "
                            + "more than " + RESUME_MAX_AGE.toHours() + " h after it started (" + op.startedAt()
                            + "): not carried forward; " + v.why() + "; check the cluster by hand, then acknowledge");
                }
                if (v instanceof Resumption.AwaitEvidence w) {
                    if (now.isBefore(giveUpAt)) {
                        if (!awaiting.contains(op.id())) {
                            awaiting.add(op.id());
                            log.warn("Cluster {}: {} ({}) was cut short by a manager restart {}; {}.", name(), op.id(),
                                    op.plan().summary(), at, w.why());
                        }
                        waiting.add(op);
                        continue;
                    }
                    v = new Resumption.Stop(Map.of(), "still undecided at " + giveUpAt + " (" + w.why() + "); the "
                            + "cluster is left as it is");
                }
                awaiting.remove(op.id());
                log.warn("Cluster {}: {} ({}) was cut short by a manager restart {}; {}.", name(), op.id(),
                        op.plan().summary(), at, v.why());
                Map<Integer, StepOutcome> found = new LinkedHashMap<>();
                foundOf(v).forEach((i, sentence) -> found.put(i, StepOutcome.alreadyDone(sentence)));
                operations.running(op);
                running = op;
                op.ledAt(cluster.epoch());
                try {
                    if (v instanceof Resumption.Resume r) {
                        runner.resume(op, found, r.from(), "Resumed after a manager restart (cut short " + at + "): "
                                + r.why() + ".");
                    } else if (v instanceof Resumption.RollBack) {
                        runner.rollBackInterrupted(op, found, v.why());
                    } else if (v instanceof Resumption.Restore r) {
                        runner.restoreInterrupted(op, found, r.server(), op.plan().summary() + " INTERRUPTED by a "
                                + "manager restart " + at + ": " + v.why());
                    } else {
                        runner.stopInterrupted(op, found, op.plan().summary() + " INTERRUPTED by a manager restart "
                                + at + ": " + v.why() + ".");
                    }
                } catch (dev.warden.actions.StepGuard.Refused deposed) {
                    leftToTheNextLeader(op, deposed);
                    return List.of();
                } finally {
                    running = null;
                    operations.ended(op);
                }
                if (op.outcome() == Operation.Outcome.INTERRUPTED) {
                    cluster.interrupted(op);
                }
                afterRun(op, !aged, notPromoted);
                view = cluster.freshView();
            }
        } finally {
            lock.unlock();
        }
        return waiting;
    }

    private final java.util.Set<String> awaiting = new java.util.HashSet<>();

    /** An unfinished operation older than this is not resumed (its findings are stale): it is stopped as it is. */
    static final java.time.Duration RESUME_MAX_AGE = java.time.Duration.ofHours(1);

    private static Map<Integer, String> foundOf(Resumption.Verdict v) {
        if (v == null) {
            return Map.of();
        }
        if (v instanceof Resumption.Resume r) {
            return r.found();
        }
        if (v instanceof Resumption.Restore r) {
            return r.found();
        }
        return v instanceof Resumption.RollBack b ? b.found() : ((Resumption.Stop) v).found();
    }

    /** "during step 3 (promote 127.0.0.1:3307 ...: started, end not recorded)". */
    private static String cutAt(Operation op) {
        for (StepRecord r : op.steps()) {
            if (r.status() == StepStatus.RUNNING) {
                return "during step " + (r.index() + 1) + " (" + r.step().describe() + ": started, end not recorded)";
            }
        }
        StepRecord last = null;
        for (StepRecord r : op.steps()) {
            if (r.endedAt() != null) {
                last = r;
            }
        }
        return last == null ? "before its first step" : "after step " + (last.index() + 1) + " ("
                + last.step().describe() + ": " + last.status() + ")";
    }

    // ---- asked for ----------------------------------------------------------------------------------------

    private RequestResult.Busy busy() {
        Operation other = running;
        return new RequestResult.Busy("an operation is already running on cluster " + name()
                + (other == null ? "" : ": " + other.id() + " (" + other.plan().summary() + ")"));
    }

    /** A planned switchover; see {@link ClusterMonitor#switchover}. */
    RequestResult switchover(InstanceKey target, boolean dryRun, Actor who) {
        String problem = cluster.managerProblem();
        if (!dryRun && problem != null) {
            return new RequestResult.Refused(List.of(problem));
        }
        if (!dryRun && !lock.tryLock()) {
            return busy();
        }
        try {
            Instant now = clock.instant();
            dev.warden.decision.Switchover.Decision d = dev.warden.decision.Switchover.plan(cluster.freshView(),
                    target, switchoverPolicy, now);
            if (d.refused()) {
                log.info("Cluster {}: switchover{} requested by {} refused: {}.", name(),
                        target == null ? "" : " to " + target, who, String.join("; ", d.refusals()));
                return new RequestResult.Refused(d.refusals());
            }
            if (dryRun) {
                return new RequestResult.Planned(d.plan());
            }
            Plan p = d.plan();
            Plan plan = new Plan(p.kind(), p.cluster(), "switchover requested by " + who, p.oldPrimary(),
                    p.candidate(), p.why(), 0, List.of(), List.of(), p.steps(), p.undo(), p.undoBefore());
            Operation op = run(plan, null, who);
            return op == null ? new RequestResult.Refused(List.of("it could not be recorded in the store: "
                    + store.problem().orElse("?"))) : new RequestResult.Ran(op);
        } finally {
            if (!dryRun) {
                lock.unlock();
            }
        }
    }

    /** A failover asked for by a person; see {@link ClusterMonitor#failover(Actor, boolean, String, boolean)}. */
    RequestResult failover(Actor who, boolean force, String reason, boolean dryRun) {
        return failover(who, force, reason, dryRun, false);
    }

    /** @param withoutCoordination break-glass: without a leadership, on this manager's own verdict (admin only) */
    RequestResult failover(Actor who, boolean force, String reason, boolean dryRun, boolean withoutCoordination) {
        String problem = withoutCoordination ? cluster.withoutCoordinationRefusal() : cluster.managerProblem();
        if (!dryRun && problem != null) {
            return new RequestResult.Refused(List.of(problem));
        }
        if (!dryRun && !lock.tryLock()) {
            return busy();
        }
        try {
            ClusterView view = cluster.freshView();
            Instant now = clock.instant();
            // A finding still pending (not confirmed yet) does not stand in the way of a forced failover.
            // Without coordination, the other managers cannot be heard: this manager's own verdict (with the
            // replicas' votes) is what a person breaks the glass on.
            List<Finding> findings = withoutCoordination ? Analyzer.own(view, now) : Analyzer.analyze(view, now);
            Optional<Finding> gone = findings.stream().filter(f -> f.code().primaryGone())
                    .filter(f -> !force || !f.pending()).findFirst();
            Decision d;
            if (gone.isPresent()) {
                d = Planner.manual(gone.get(), view, now, (force ? "forced " : "") + (withoutCoordination
                        ? "break-glass failover without coordination" : "failover") + " requested by " + who
                        + ((force || withoutCoordination) && reason != null ? " (" + reason + ")" : "") + ": "
                        + gone.get().sentence(), force);
            } else if (!force) {
                String primary = view.topology().primary().map(p -> p.key().toString()).orElse("the primary");
                return new RequestResult.Refused(List.of(primary + " is not confirmed dead (no DeadPrimary or "
                        + "PrimaryNotWriting finding): a failover now could lose writes it acknowledged. Use a "
                        + "switchover to move a healthy primary, or force the failover with a reason (admin)"));
            } else {
                d = Planner.forced(view, now, "forced " + (withoutCoordination ? "break-glass failover without "
                        + "coordination" : "failover") + " by " + who + ": " + reason);
            }
            if (!(d instanceof Decision.Act act)) {
                return new RequestResult.Refused(List.of(d.sentence()));
            }
            if (dryRun) {
                return new RequestResult.Planned(act.plan());
            }
            Operation op = run(act.plan(), gone.orElse(null), who, withoutCoordination);
            return op == null ? new RequestResult.Refused(List.of(notRecorded().reason())) : new RequestResult.Ran(op);
        } finally {
            if (!dryRun) {
                lock.unlock();
            }
        }
    }
}
