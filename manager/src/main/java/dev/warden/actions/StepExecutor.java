package dev.warden.actions;

import dev.warden.config.Credentials;
import dev.warden.config.ReplicationSettingsConfig;
import dev.warden.dialect.ChangeSourceSpec;
import dev.warden.dialect.Row;
import dev.warden.dialect.ServerVariables;
import dev.warden.dialect.Sql;
import dev.warden.model.ErrantTransactions;
import dev.warden.model.Flavor;
import dev.warden.model.GtidPosition;
import dev.warden.model.ReadOnlyState;
import dev.warden.model.ReplicaStatus;
import dev.warden.model.ThreadState;
import dev.warden.plan.CatchUp;
import dev.warden.plan.FenceOldPrimary;
import dev.warden.plan.Promote;
import dev.warden.plan.PlanKind;
import dev.warden.plan.Repoint;
import dev.warden.plan.Step;
import dev.warden.probe.ConnectionFactory;
import dev.warden.probe.FailureClassifier;
import dev.warden.probe.OwnSessions;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

/**
 * Runs one step against the real server: re-checks its precondition, does the work through the server's dialect,
 * and verifies the result. A step finding its work already done reports ALREADY_DONE. Every wait is bounded by
 * the step's timeout, on the client and on the server (see {@link AdminSession}); after a failure the server is read
 * again, and the record says what it shows then. Replication statements name the cluster's channel only, so a
 * replica's other channels are left as they are.
 */
public final class StepExecutor {

    static final Duration POLL = Duration.ofMillis(10);
    /** How long reading a server again after a failure may take. */
    static final Duration REREAD = Duration.ofSeconds(2);

    private final ConnectionFactory factory;
    private final Credentials credentials;
    private final ReplicationSettingsConfig replication;
    private final dev.warden.hooks.HookRunner hooks;
    private final dev.warden.proxy.HaproxySync haproxy;
    private final java.util.function.Supplier<dev.warden.topology.Topology> topology;
    private final java.util.concurrent.Executor background;
    private final PreparedSessions prepared;
    /** Several managers: the cluster and this manager's name, written into {@code warden.term}; else null. */
    private final TermWriter term;
    /** Publishes the primary to the key-value stores; null when none are configured. */
    private final dev.warden.kv.KvPublisher kv;

    /** What the promote step writes into {@code warden.term}: for which cluster, as which manager. */
    public record TermWriter(String cluster, String manager) {
    }

    public StepExecutor(ConnectionFactory factory, Credentials credentials, ReplicationSettingsConfig replication) {
        this(factory, credentials, replication, null, null, () -> null, Runnable::run);
    }

    public StepExecutor(ConnectionFactory factory, Credentials credentials, ReplicationSettingsConfig replication,
                        dev.warden.hooks.HookRunner hooks, dev.warden.proxy.HaproxySync haproxy,
                        java.util.function.Supplier<dev.warden.topology.Topology> topology,
                        java.util.concurrent.Executor background) {
        this(factory, credentials, replication, hooks, haproxy, topology, background, null);
    }

    /**
     * @param hooks      runs hook steps; null when none are configured
     * @param haproxy    routes writers; null when the cluster has no HAProxy
     * @param topology   the latest topology (maps HAProxy's addresses to servers)
     * @param background where hooks that gate nothing run (never the cluster's own thread)
     * @param term       several managers: what the promote step writes into {@code warden.term}; null alone
     */
    public StepExecutor(ConnectionFactory factory, Credentials credentials, ReplicationSettingsConfig replication,
                        dev.warden.hooks.HookRunner hooks, dev.warden.proxy.HaproxySync haproxy,
                        java.util.function.Supplier<dev.warden.topology.Topology> topology,
                        java.util.concurrent.Executor background, TermWriter term) {
        this(factory, credentials, replication, hooks, haproxy, topology, background, term, null);
    }

    /** @param kv publishes the primary to the key-value stores; null when none are configured */
    public StepExecutor(ConnectionFactory factory, Credentials credentials, ReplicationSettingsConfig replication,
                        dev.warden.hooks.HookRunner hooks, dev.warden.proxy.HaproxySync haproxy,
                        java.util.function.Supplier<dev.warden.topology.Topology> topology,
                        java.util.concurrent.Executor background, TermWriter term, dev.warden.kv.KvPublisher kv) {
        this.kv = kv;
        this.factory = factory;
        this.term = term;
        this.credentials = credentials;
        this.replication = replication;
        this.hooks = hooks;
        this.haproxy = haproxy;
        this.topology = topology;
        this.background = background;
        this.prepared = new PreparedSessions(factory, background);
    }

    public StepOutcome run(Step step) {
        try (Sessions own = new Sessions(factory)) {
            return run(step, null, own);
        }
    }

    /** Runs a step of {@code op}, reusing the operation's admin sessions. */
    public StepOutcome run(Step step, Operation op, Sessions sessions) {
        try {
            return dispatch(step, op, sessions);
        } catch (SQLException e) {
            AdminSession broken = sessions.drop(step.server());
            OwnSessions.Stopped stop = broken == null ? null : broken.lastStop();
            if (step instanceof Promote) {
                StepOutcome read = promotedAfterAll(step.server(), e);
                if (read != null) {
                    return read;
                }
            }
            return StepOutcome.failed(step.describe() + " failed: " + FailureClassifier.message(e)
                    + " (" + FailureClassifier.classify(e).display() + ")" + (stop == null ? "" : "; " + stop.detail())
                    + "; " + ServerNow.of(factory, step.server(), REREAD));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return StepOutcome.failed(step.describe() + " interrupted");
        }
    }

    Sessions sessions() {
        return new Sessions(factory, prepared);
    }

    /**
     * Opens admin sessions to {@code servers} in the background, for the next operation to take over (while the
     * primary looks gone, before that is confirmed).
     */
    public void prepare(java.util.Collection<dev.warden.model.InstanceKey> servers) {
        prepared.prepare(servers);
    }

    /** Closes the sessions prepared and not taken. */
    public void closePrepared() {
        prepared.close();
    }

    /** Closes them for good: the manager stops. */
    public void shutDownPrepared() {
        prepared.shutDown();
    }

    /**
     * A promotion that failed part way may still have taken effect (the connection broke after read_only was turned
     * off, before the read-back): read on a fresh connection, a candidate that replicates from nobody and is writable
     * is promoted, and what follows a promotion (keeping the old primary fenced) must hold. Null otherwise.
     */
    private StepOutcome promotedAfterAll(dev.warden.model.InstanceKey key, SQLException failure) {
        try (AdminSession s = AdminSession.open(factory, key, REREAD)) {
            ReplicaStatus ch = s.channel();
            ReadOnlyState ro = s.variables().readOnly();
            if (ch == null && ro.writable()) {
                return StepOutcome.done(key + " replicates from nobody and is writable (read again after "
                        + FailureClassifier.message(failure) + ")", Instant.now());
            }
            if (ch != null && !ro.writable()) {
                return StepOutcome.failed("promote " + key + " failed: " + FailureClassifier.message(failure) + "; "
                        + NOT_PROMOTED + ": read again, it is " + ro.display() + " and still replicates from "
                        + ch.source());
            }
        } catch (SQLException again) {
            // not known either way
        }
        return null;
    }

    /** In a failed promotion's record when the candidate was read again and had not been promoted. */
    public static final String NOT_PROMOTED = "verified not promoted";

    static final String ROLLED_BACK_CLEANLY = "Verified afterwards: nothing else changed";

    /**
     * After a switchover's undo, the servers read again on fresh connections: the old primary writable and replicating
     * from nobody with nothing of Warden's still waiting there, the candidate still its read-only replica. Starts with
     * {@link #ROLLED_BACK_CLEANLY} only when all of that holds; otherwise says what does not.
     */
    String verifyRolledBack(dev.warden.plan.Plan plan) {
        java.util.List<String> wrong = new java.util.ArrayList<>();
        String oldNow;
        try (AdminSession old = AdminSession.open(factory, plan.oldPrimary(), REREAD)) {
            oldNow = ServerNow.describe(old);
            if (!old.variables().readOnly().writable() || old.channel() != null) {
                wrong.add(oldNow);
            }
            java.util.List<String> pending = ReadOnlySteps.pending(old);
            if (!pending.isEmpty()) {
                wrong.add("Warden's " + pending + " still waits on " + plan.oldPrimary());
            }
        } catch (SQLException e) {
            oldNow = null;
            wrong.add(plan.oldPrimary() + " could not be read again (" + FailureClassifier.message(e) + ")");
        }
        String candidateNow = null;
        if (plan.candidate() != null) {
            try (AdminSession c = AdminSession.open(factory, plan.candidate(), REREAD)) {
                candidateNow = ServerNow.describe(c);
                ReplicaStatus ch = c.channel();
                if (ch == null || c.variables().readOnly().writable()) {
                    wrong.add(candidateNow);
                }
            } catch (SQLException e) {
                wrong.add(plan.candidate() + " could not be read again (" + FailureClassifier.message(e) + ")");
            }
        }
        if (wrong.isEmpty()) {
            return ROLLED_BACK_CLEANLY + " (" + oldNow + ", nothing of Warden's waiting there; " + candidateNow + ").";
        }
        return "Read again afterwards: " + String.join("; ", wrong) + ": check the cluster by hand.";
    }

    private StepOutcome dispatch(Step step, Operation op, Sessions sessions) throws SQLException, InterruptedException {
        if (step instanceof dev.warden.plan.RunHooks h) {
            return runHooks(h, op);
        }
        if (step instanceof dev.warden.plan.MakeReadOnly m) {
            return ReadOnlySteps.makeReadOnly(m, sessions, factory);
        }
        if (step instanceof dev.warden.plan.KillClientSessions k) {
            return killSessions(k, sessions);
        }
        if (step instanceof dev.warden.plan.WaitForGtid w) {
            return waitForGtid(w, sessions);
        }
        if (step instanceof dev.warden.plan.RouteWriters r) {
            return routeWriters(r);
        }
        if (step instanceof dev.warden.plan.PublishPrimary p) {
            return publish(p, op);
        }
        if (step instanceof dev.warden.plan.MakeWritable w) {
            StepOutcome o = ReadOnlySteps.makeWritable(w, sessions, factory);
            long epoch = term == null || op == null ? 0 : op.epoch();
            // The server is the primary again: it carries this leadership's epoch, not the one before the switchover.
            return o.failed() || epoch <= 0 ? o : new StepOutcome(o.status(),
                    o.detail() + Terms.write(sessions.get(w.server(), w.timeout()), term, epoch), o.effectiveAt());
        }
        if (step instanceof FenceOldPrimary f) {
            return Fence.run(f, op, sessions, factory, fenceHooks(f, op));
        }
        if (step instanceof CatchUp c) {
            return catchUp(c, op, sessions);
        }
        if (step instanceof Promote p) {
            return promote(p, op, sessions);
        }
        if (step instanceof dev.warden.plan.SetHeartbeatPeriod h) {
            return setHeartbeatPeriod(h, sessions);
        }
        return repoint((Repoint) step, op, sessions);
    }

    static ReadOnlyState strongest(AdminSession s) {
        return s.dialect.version().isMySql() ? ReadOnlyState.SUPER_READ_ONLY : ReadOnlyState.READ_ONLY;
    }

    /**
     * Exact: done when the candidate has applied everything it received completely (a transaction cut short in
     * transfer is named, not waited for) and, when the old primary answered and was fenced, everything it had then.
     * A complete transaction slow to apply is waited for up to the timeout; then the failover stops before the
     * promotion, unless forced, which goes on and names what is lost.
     */
    private StepOutcome catchUp(CatchUp c, Operation op, Sessions sessions) throws SQLException, InterruptedException {
        // The session outlives the wait by a margin: the last look after the timeout (and, when forced, the grace
        // after ending the sessions that hold the applier back) must still be sent.
        AdminSession s = sessions.get(c.server(), c.timeout().plus(c.force() ? FORCE_GRACE : Duration.ZERO)
                .plus(REREAD));
        ReplicaStatus ch = s.channel();
        if (ch == null) {
            return StepOutcome.alreadyDone(c.server() + " replicates from nobody: nothing to apply");
        }
        if (ch.sqlBroken()) {
            return StepOutcome.failed(c.server() + ": SQL thread stopped on " + ch.sqlError()
                    + "; it cannot apply its relay log; it was not promoted. Fix the error, START REPLICA SQL_THREAD, "
                    + "then fail over by hand; the cluster has no writable primary until then");
        }
        String started = "";
        if (ch.sqlThread() != ThreadState.RUNNING) {
            s.execute(s.dialect.startReplicaSqlThread(ch.channel()));
            started = "started its SQL thread, ";
        }
        long end = System.nanoTime() + c.timeout().toNanos();
        while (true) {
            ReplicaStatus now = s.channel();
            StepRecord fence = op == null ? null : op.stepOf(FenceOldPrimary.class);
            if (fence != null && fence.status() == StepStatus.FAILED) {
                return StepOutcome.failed("the old primary answers but could not be fenced (" + fence.detail()
                        + "); " + c.server() + " was not promoted");
            }
            boolean fenceSettled = fence == null || fence.status().holds() || fence.status() == StepStatus.PENDING;
            GtidPosition fencedAt = op == null ? null : op.fencedPosition();
            GtidPosition target = now.receivedComplete();
            if (fencedAt != null && fencedAt.getClass() == target.getClass()) {
                target = target.union(fencedAt);
            }
            GtidPosition applied = now.executed();
            GtidPosition partial = now.partial();
            String cut = partial == null ? "" : "; " + partial + " was cut short in transfer (the receiver lost its "
                    + "source in the middle of it): it was never complete here and cannot be applied";
            if (applied.contains(target) && fenceSettled) {
                return StepOutcome.done(c.server() + ": " + started + "applied everything it received completely"
                        + (fencedAt == null ? "" : ", and everything the fenced old primary had (" + fencedAt + ")")
                        + cut);
            }
            if (System.nanoTime() > end) {
                long missing = applied.missingFrom(target);
                String which = target instanceof dev.warden.model.GtidSet t
                        ? " (" + t.subtract((dev.warden.model.GtidSet) applied) + ")" : " (up to " + target + ")";
                if (!fenceSettled) {
                    return StepOutcome.failed("the old primary's fence did not end within " + c.timeout().toMillis()
                            + " ms; " + c.server() + " was not promoted");
                }
                if (c.force()) {
                    return forcedOn(c, s, op, target, cut);
                }
                return StepOutcome.failed(c.server() + " still has " + missing + " received transaction(s)" + which
                        + " to apply after " + c.timeout().toMillis() + " ms (SQL thread " + now.sqlThread().display()
                        + "); it was not promoted. Let it catch up (SHOW REPLICA STATUS), then fail over again; "
                        + "warden failover --force promotes it anyway and they are lost. The cluster has no writable "
                        + "primary until then");
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /** How long a forced catch-up waits once more after ending the candidate's client sessions. */
    static final Duration FORCE_GRACE = Duration.ofSeconds(2);

    /**
     * A forced failover past the catch-up timeout. What holds the candidate's SQL thread back is often a client
     * session's lock (and replication could not even be stopped for the promotion while it waits): those sessions
     * are ended, the SQL thread gets a little longer, and what it still could not apply is named as lost.
     */
    private StepOutcome forcedOn(CatchUp c, AdminSession s, Operation op, GtidPosition target, String cut)
            throws SQLException, InterruptedException {
        java.util.List<String> refused = new java.util.ArrayList<>();
        int killed = Fence.killClients(s, refused);
        long end = System.nanoTime() + FORCE_GRACE.toNanos();
        ReplicaStatus now = s.channel();
        while (!now.executed().contains(target) && System.nanoTime() < end) {
            Thread.sleep(POLL.toMillis());
            now = s.channel();
        }
        String ended = "forced after " + c.timeout().toMillis() + " ms: ended " + killed + " client session(s) on "
                + c.server() + " that could hold its SQL thread back"
                + (refused.isEmpty() ? "" : " (could not end " + String.join("; ", refused) + ")");
        long missing = now.executed().missingFrom(target);
        if (missing == 0) {
            return StepOutcome.done(c.server() + ": " + ended + "; then it applied everything it received" + cut);
        }
        String which = target instanceof dev.warden.model.GtidSet t
                ? " (" + t.subtract((dev.warden.model.GtidSet) now.executed()) + ")" : " (up to " + target + ")";
        String lost = missing + " received transaction(s)" + which + " not applied are lost with this promotion";
        if (op != null) {
            op.lost(lost);
        }
        return StepOutcome.done(c.server() + ": " + ended + "; " + lost + cut);
    }

    private StepOutcome promote(Promote p, Operation op, Sessions sessions) throws SQLException {
        AdminSession s = sessions.get(p.server(), p.timeout());
        ServerVariables v = s.variables();
        ReplicaStatus ch = s.channel();
        long epoch = term == null || op == null ? 0 : op.epoch();
        dev.warden.model.Term carried = epoch > 0 ? Terms.read(s, term.cluster()) : null;
        if (carried != null && carried.epoch() > epoch) {
            return StepOutcome.failed(p.server() + " carries warden.term " + carried.display() + ", newer than this "
                    + "manager's leadership (epoch " + epoch + "): a newer leader promoted in this cluster; "
                    + p.server() + " was not promoted by this manager");
        }
        if (ch == null && v.readOnly().writable()) {
            return StepOutcome.alreadyDone(p.server() + " already replicates from nobody and is writable"
                    + (epoch > 0 ? Terms.write(s, term, epoch) : ""));
        }
        String unblocked = "";
        if (ch != null) {
            unblocked = unblockApplier(s, ch.channel());
            s.execute(s.dialect.stopReplica(ch.channel()));
            s.execute(s.dialect.resetReplicaAll(ch.channel()));
        }
        for (Sql sql : s.dialect.setReadOnly(ReadOnlyState.WRITABLE)) {
            s.execute(sql);
        }
        Instant writableAt = Instant.now();
        ServerVariables after = s.variables();
        if (s.channel() != null || !after.readOnly().writable()) {
            return StepOutcome.failed(p.server() + " is still " + after.readOnly().display()
                    + (s.channel() != null ? " with replication configured" : "") + " after promotion");
        }
        return StepOutcome.done(p.server() + " replicates from nobody and is writable (executed "
                + after.gtidExecuted() + ")" + unblocked + (epoch > 0 ? Terms.write(s, term, epoch) : ""), writableAt);
    }

    private StepOutcome repoint(Repoint r, Operation op, Sessions sessions) throws SQLException, InterruptedException {
        // Its own connection: re-points run in parallel and would otherwise share the new primary's session.
        dev.warden.model.Term sourceTerm;
        ServerVariables sv;
        try (AdminSession source = AdminSession.open(factory, r.newSource(), r.timeout())) {
            sv = source.variables();
            if (!sv.readOnly().writable() || source.channel() != null) {
                return StepOutcome.failed("new source " + r.newSource() + " is " + sv.readOnly().display()
                        + (source.channel() != null ? " and replicates itself" : "") + "; " + r.server()
                        + " was not re-pointed");
            }
            sourceTerm = term == null ? null : Terms.read(source, term.cluster());
        }
        AdminSession s = sessions.get(r.server(), r.timeout());
        ReplicaStatus ch = s.channel();
        String channel = ch == null ? "" : ch.channel();
        if (ch != null && r.sourceAddress().equals(ch.source()) && ch.bothThreadsRunning()) {
            return StepOutcome.alreadyDone(r.server() + " already replicates from " + r.sourceAddress());
        }
        ReadOnlyState strongest = strongest(s);
        if (s.variables().readOnly() != strongest) {
            for (Sql sql : s.dialect.setReadOnly(strongest)) {
                s.execute(sql);
            }
        }
        if (op != null && op.plan().kind() == PlanKind.REJOIN) {
            // Read now, once it is read-only at its strongest: what the cycle saw may predate a write. A server with
            // transactions its new source lacks must not replicate from it (MySQL would skip them silently, MariaDB
            // stops on error 1236): it stays fenced, and the analyzer reports it quarantined.
            ErrantTransactions extra = extraOn(s.variables(), sv);
            if (extra.any()) {
                return StepOutcome.failed(r.server() + " has " + extra.count() + " transaction(s) " + r.newSource()
                        + " lacks (" + extra.description() + "); it was not re-pointed and stays read-only");
            }
        }
        String unblocked = "";
        if (ch != null) {
            unblocked = unblockApplier(s, channel);
            if (ch.ioThread() != ThreadState.RUNNING && ch.sqlThread() == ThreadState.RUNNING) {
                unblocked += stopWaitingApplier(s, channel);
            }
            s.execute(s.dialect.stopReplica(channel));
        } else if (s.dialect.alignReplicaPosition().isPresent()) {
            s.execute(s.dialect.alignReplicaPosition().get());
        }
        s.execute(s.dialect.changeSource(new ChangeSourceSpec(r.sourceAddress(), credentials.replicationUser(),
                credentials.replicationPassword().reveal(), replication.heartbeatPeriod(),
                replication.connectRetry(), replication.retryCount(), channel)));
        s.execute(s.dialect.startReplica(channel));
        long startedAt = System.nanoTime();
        // Ends while the session's deadline still leaves time to read why, so a replica that does not follow says
        // what it shows instead of failing on its deadline.
        long end = startedAt + Math.max(0, s.remainingNanos() - Math.min(ANSWER_RESERVE.toNanos(),
                r.timeout().toNanos() / 5));
        ReplicaStatus now = s.channel();
        while (!now.bothThreadsRunning()) {
            // The source refuses it (wrong password, too many connections...): waiting longer changes nothing.
            boolean refused = now.ioError() != null && System.nanoTime() - startedAt > REFUSAL_SETTLE.toNanos()
                    && REPOINT_HOPELESS.contains(now.ioError().errno());
            if (now.sqlBroken() || (now.ioThread() == ThreadState.STOPPED && now.ioError() != null) || refused
                    || System.nanoTime() > end) {
                return StepOutcome.failed(r.server() + " points at " + r.sourceAddress() + " but IO thread "
                        + now.ioThread().display() + (now.ioError() == null ? "" : " (" + now.ioError() + ")")
                        + ", SQL thread " + now.sqlThread().display()
                        + (now.sqlError() == null ? "" : " (" + now.sqlError() + ")")
                        + "; check SHOW REPLICA STATUS on it");
            }
            Thread.sleep(POLL.toMillis());
            now = s.channel();
        }
        String shows = "";
        if (sourceTerm != null) {
            // Counts as re-pointed only once it has applied the new primary's term: it really replicates from it.
            dev.warden.model.Term here = Terms.read(s, term.cluster());
            while (here == null || here.epoch() < sourceTerm.epoch()) {
                now = s.channel();
                if (now.sqlBroken() || System.nanoTime() > end) {
                    return StepOutcome.failed(r.server() + " replicates from " + r.sourceAddress() + " but does not "
                            + "show its warden.term (" + sourceTerm.display() + "; it shows "
                            + (here == null ? "none" : here.display()) + ") after "
                            + (System.nanoTime() - startedAt) / 1_000_000 + " ms (IO thread " + now.ioThread().display()
                            + ", SQL thread " + now.sqlThread().display()
                            + (now.sqlError() == null ? "" : ": " + now.sqlError()) + ")"
                            + "; check SHOW REPLICA STATUS and replication filters on the warden schema");
                }
                Thread.sleep(POLL.toMillis());
                here = Terms.read(s, term.cluster());
            }
            shows = ", shows " + sourceTerm.display();
        }
        return StepOutcome.done(r.server() + " replicates from " + r.sourceAddress() + shows
                + (r.sourceAddress().equals(r.newSource()) ? "" : " (" + r.newSource() + " to the manager)")
                + ", both threads running" + unblocked);
    }

    /** What {@code server} has that {@code source} lacks, from both servers' variables read just now. */
    static ErrantTransactions extraOn(ServerVariables server, ServerVariables source) {
        Flavor flavor = server.version().flavor();
        if (flavor != source.version().flavor()) {
            throw new IllegalStateException("cannot compare " + flavor + " with " + source.version().flavor());
        }
        return ErrantTransactions.of(flavor, server.gtidExecuted(), server.binlogState(), source.gtidExecuted(),
                source.binlogState(), source.serverUuid(), source.serverId());
    }

    /**
     * IO thread errors a re-point does not wait out: access denied, the source's binlog errors, TLS and authentication
     * plugin errors. Not "too many connections" or "host blocked", which clear by themselves after a promotion.
     */
    static final java.util.Set<Integer> REPOINT_HOPELESS = java.util.Set.of(1045, 1236, 1593, 1595, 1251, 2026, 2061,
            3159, 13114);

    /** How long a re-pointed replica's IO thread may show an error from before its start (it may be stale). */
    static final Duration REFUSAL_SETTLE = Duration.ofSeconds(1);

    /** What a re-point keeps of its session's time to read why it failed (at most a fifth of its timeout). */
    static final Duration ANSWER_RESERVE = Duration.ofSeconds(1);

    /** Runs the cluster's fence_old_primary hooks for this fence (empty when none are configured). */
    private java.util.function.Supplier<java.util.List<dev.warden.hooks.HookOutcome>> fenceHooks(FenceOldPrimary f,
                                                                                                  Operation op) {
        return () -> {
            // During a failover only: an aftercare re-fence runs on the cluster's thread every cycle.
            if (hooks == null || op == null || op.plan().kind() != PlanKind.FAILOVER
                    || !hooks.any(dev.warden.model.HookEvent.FENCE_OLD_PRIMARY, op.plan().cluster())) {
                return java.util.List.of();
            }
            dev.warden.plan.Plan plan = op.plan();
            java.util.List<dev.warden.hooks.HookOutcome> outcomes = hooks.run(new dev.warden.hooks.HookPayload(
                    dev.warden.model.HookEvent.FENCE_OLD_PRIMARY, plan.cluster(), op.id(), f.server(), null,
                    plan.candidate(), null, f.server(), plan.trigger(), Instant.now()));
            op.addHooks(outcomes);
            return outcomes;
        };
    }

    /**
     * STOP REPLICA waits as long as the applier waits on a lock a session holds (both flavors; it survives the
     * client giving up). Killing the applier stops it at once; what it was applying is rolled back, and replication
     * started again later fetches it afresh. Only the channel's own appliers. Returns a clause for the record (empty
     * when nothing was waiting).
     */
    static String unblockApplier(AdminSession s, String channel) throws SQLException {
        int channels = s.replicaStatus(s.variables().replicaApplied()).size();
        java.util.List<String> killed = killAppliers(s, s.dialect.blockedAppliersQuery(channel, channels));
        return killed.isEmpty() ? "" : "; its applier was waiting on a lock and was stopped first: thread "
                + String.join(", ", killed);
    }

    /**
     * The receiver is stopped and the applier is inside a transaction: it may wait for events that will never come
     * (the relay log holds part of it; seen on MySQL 9.7's multi-threaded applier, where STOP REPLICA then hung past
     * the step's timeout). Its threads are stopped first: what they applied of it is rolled back, and the re-pointed
     * replica fetches the transaction whole from its new source. Returns a clause for the record.
     */
    static String stopWaitingApplier(AdminSession s, String channel) throws SQLException {
        java.util.List<String> killed = killAppliers(s, s.dialect.appliersInsideATransactionQuery(channel));
        return killed.isEmpty() ? "" : "; its receiver was stopped and its applier was inside a transaction, so the "
                + "applier was stopped first: thread " + String.join(", ", killed);
    }

    /** Ends the threads {@code query} names ({@code id}, {@code state}); "id (state)" of each one ended. */
    private static java.util.List<String> killAppliers(AdminSession s, java.util.Optional<Sql> query)
            throws SQLException {
        java.util.List<String> killed = new java.util.ArrayList<>();
        if (query.isEmpty()) {
            return killed;
        }
        for (Row r : s.query(query.get())) {
            long id = r.getLong(-1, "id");
            try {
                s.execute(s.dialect.killConnection(id));
                killed.add(id + " (" + r.get("state") + ")");
            } catch (SQLException e) {
                // it ended meanwhile
            }
        }
        return killed;
    }

    /**
     * Only the heartbeat period of the cluster's channel; the threads stopped for it are started again, on a new
     * session if the first one broke. MySQL needs only the IO thread stopped, and keeps its relay log. MariaDB needs
     * both stopped, and starting them again discards the relay log: its IO thread is stopped first and the change is
     * made only once the SQL thread has applied everything received (else it is left for later), so nothing received
     * is thrown away.
     */
    private StepOutcome setHeartbeatPeriod(dev.warden.plan.SetHeartbeatPeriod h, Sessions sessions)
            throws SQLException, InterruptedException {
        AdminSession s = sessions.get(h.server(), h.timeout());
        ReplicaStatus ch = channel(s, h.channel());
        if (ch == null) {
            return StepOutcome.failed(h.server() + " has no replication channel '" + h.channel() + "'");
        }
        Duration before = ch.receiver().heartbeatPeriod();
        if (h.period().equals(before)) {
            return StepOutcome.alreadyDone(h.server() + " already has a heartbeat period of " + h.period().toMillis()
                    + " ms");
        }
        boolean both = s.dialect.heartbeatChangeStopsSqlThread();
        boolean ioWasRunning = ch.ioThread() != ThreadState.STOPPED;
        boolean sqlWasRunning = ch.sqlThread() == ThreadState.RUNNING;
        boolean changed = false;
        String skipped = null;
        try {
            s.execute(s.dialect.stopReplicaIoThread(h.channel()));
            if (both) {
                ReplicaStatus now = channel(s, h.channel());
                // It had applied everything when this was planned; what came in since gets a moment, no more (the
                // cluster's thread waits here).
                long end = System.nanoTime() + Math.min(h.timeout().toNanos(), MARIADB_APPLY_WAIT.toNanos());
                while (sqlWasRunning && now != null && !now.executed().contains(now.retrieved())
                        && System.nanoTime() < end) {
                    Thread.sleep(POLL.toMillis());
                    now = channel(s, h.channel());
                }
                if (now == null || !now.executed().contains(now.retrieved())) {
                    skipped = h.server() + " still has received transactions to apply (" + (now == null ? "?"
                            : now.retrieved() + " received, " + now.executed() + " applied") + "); MariaDB would "
                            + "discard them when its threads start again, so the heartbeat period is left for later";
                } else {
                    s.execute(s.dialect.stopReplicaSqlThread(h.channel()));
                }
            }
            if (skipped == null) {
                s.execute(s.dialect.changeHeartbeatPeriod(h.channel(), h.period()));
                changed = true;
            }
        } finally {
            restartThreads(s, sessions, h, ioWasRunning, both && sqlWasRunning);
        }
        if (!changed) {
            return StepOutcome.failed(skipped);
        }
        ReplicaStatus after = channel(sessions.get(h.server(), h.timeout()), h.channel());
        Duration now = after == null ? null : after.receiver().heartbeatPeriod();
        if (!h.period().equals(now)) {
            return StepOutcome.failed(h.server() + "'s heartbeat period reads " + (now == null ? "unknown"
                    : now.toMillis() + " ms") + " after the change, not " + h.period().toMillis() + " ms");
        }
        return StepOutcome.done(h.server() + ": heartbeat period " + (before == null ? "unknown"
                : before.toMillis() + " ms") + " -> " + h.period().toMillis() + " ms (IO thread restarted"
                + (both ? ", SQL thread too" : "") + ")");
    }

    static final Duration MARIADB_APPLY_WAIT = Duration.ofSeconds(1);

    private static ReplicaStatus channel(AdminSession s, String channel) throws SQLException {
        return s.replicaStatus(s.variables().replicaApplied()).stream().filter(c -> c.channel().equals(channel))
                .findFirst().orElse(null);
    }

    /** Starts the threads that ran before, reading the channel first (on a fresh session when the first broke). */
    private static void restartThreads(AdminSession first, Sessions sessions, dev.warden.plan.SetHeartbeatPeriod h,
                                       boolean io, boolean sql) throws SQLException {
        SQLException failure = null;
        for (int attempt = 0; attempt < 2; attempt++) {
            AdminSession s = attempt == 0 ? first : sessions.get(h.server(), h.timeout());
            try {
                ReplicaStatus ch = channel(s, h.channel());
                if (ch == null) {
                    return;
                }
                if (sql && ch.sqlThread() == ThreadState.STOPPED) {
                    s.execute(s.dialect.startReplicaSqlThread(h.channel()));
                }
                if (io && ch.ioThread() == ThreadState.STOPPED) {
                    s.execute(s.dialect.startReplicaIoThread(h.channel()));
                }
                return;
            } catch (SQLException e) {
                failure = e;
                sessions.drop(h.server());
            }
        }
        throw failure;
    }

    // ---- switchover, hooks, proxies -------------------------------------------------------------------

    /**
     * Hooks of a pre_ event gate what follows: they run here, each within its hard deadline. A failover's other hooks
     * gate nothing and must not hold up the cluster's own thread (a failover runs on it): they run in the background
     * and their outcomes join the record as they end. A switchover (asked for on another thread) waits for its post
     * hooks, so that the person who asked sees their outcomes.
     */
    /** Asked for by a person rather than decided by Warden (Orchestrator's force-master-failover). */
    static boolean forced(Operation op) {
        return !dev.warden.engine.Actor.AUTOMATIC.display().equals(op.startedBy());
    }

    private StepOutcome runHooks(dev.warden.plan.RunHooks h, Operation op) {
        if (hooks == null || op == null) {
            return StepOutcome.alreadyDone("no hooks for " + h.event().configName());
        }
        dev.warden.plan.Plan plan = op.plan();
        boolean after = !h.event().gates();
        dev.warden.hooks.HookPayload payload = new dev.warden.hooks.HookPayload(h.event(), plan.cluster(), op.id(),
                plan.oldPrimary(), after ? plan.candidate() : null, plan.candidate(),
                plan.kind() == PlanKind.FAILOVER ? plan.knownMissing() : null, null, plan.trigger(),
                Instant.now(), dev.warden.hooks.HookPayload.OperationFacts.of(plan, forced(op)));
        if (after) {
            background.execute(() -> op.addHooks(hooks.run(payload)));
            return StepOutcome.done("hooks for " + h.event().configName() + " started; their outcomes join this "
                    + "record as they end (each within its timeout)");
        }
        java.util.List<dev.warden.hooks.HookOutcome> outcomes = hooks.run(payload);
        op.addHooks(outcomes);
        java.util.List<dev.warden.hooks.HookOutcome> blocking = outcomes.stream()
                .filter(dev.warden.hooks.HookOutcome::blocks).toList();
        if (!blocking.isEmpty()) {
            return StepOutcome.failed("gate hook " + blocking.get(0) + "; nothing was changed on any server");
        }
        long failed = outcomes.stream().filter(o -> !o.ok()).count();
        return StepOutcome.done(outcomes.size() + " hook(s) for " + h.event().configName()
                + (failed == 0 ? ", all succeeded" : ", " + failed + " failed (best effort, recorded)"));
    }

    private StepOutcome killSessions(dev.warden.plan.KillClientSessions k, Sessions sessions) throws SQLException,
            InterruptedException {
        Thread.sleep(k.grace().toMillis());
        AdminSession s = sessions.get(k.server(), k.timeout());
        java.util.List<String> refused = new java.util.ArrayList<>();
        int killed = Fence.killClients(s, refused);
        return StepOutcome.done("killed " + killed + " client session(s) on " + k.server() + " after "
                + k.grace().toMillis() + " ms");
    }

    private StepOutcome waitForGtid(dev.warden.plan.WaitForGtid w, Sessions sessions) throws SQLException {
        GtidPosition target = sessions.get(w.source(), w.timeout()).variables().gtidExecuted();
        // The wait function has its own bound on the server; the client waits a little longer for its answer.
        AdminSession s = sessions.get(w.server(), w.timeout().plusSeconds(5));
        java.util.List<Row> rows = s.query(s.dialect.waitForExecuted(target, w.timeout()));
        String result = rows.isEmpty() ? null : rows.get(0).asMap().values().iterator().next();
        GtidPosition now = s.variables().gtidExecuted();
        if ("0".equals(result) && now.contains(target)) {
            return StepOutcome.done(w.server() + " has executed everything " + w.source() + " had (" + target + ")");
        }
        ReplicaStatus ch = s.channel();
        String threads = ch == null ? "not replicating" : "IO thread " + ch.ioThread().display() + ", SQL thread "
                + ch.sqlThread().display() + (ch.sqlError() == null ? "" : " (" + ch.sqlError() + ")");
        return StepOutcome.failed(w.server() + " did not execute " + w.source() + "'s transactions within "
                + w.timeout().toMillis() + " ms (" + now.missingFrom(target) + " missing; " + threads + ")");
    }

    private StepOutcome publish(dev.warden.plan.PublishPrimary p, Operation op) {
        if (kv == null || op == null) {
            return StepOutcome.alreadyDone("no key-value store configured");
        }
        long epoch = Math.max(0, op.epoch());
        // A failover an operator forced without coordination has no epoch: it writes over whatever is held.
        boolean override = op.epoch() == Operation.WITHOUT_COORDINATION;
        try {
            return StepOutcome.done("published " + kv.publish(op.plan().cluster(), p.server(), epoch, override));
        } catch (java.io.IOException | RuntimeException e) {
            return StepOutcome.failed("the key-value stores could not all be written: " + e.getMessage()
                    + (p.gate() ? "; with kv.mode gate nothing is promoted until they can be"
                    : "; the next cycles rewrite them"));
        }
    }

    private StepOutcome routeWriters(dev.warden.plan.RouteWriters r) {
        if (haproxy == null) {
            return StepOutcome.alreadyDone("no HAProxy for this cluster");
        }
        try {
            return StepOutcome.done(haproxy.routeWriters(r.server(), topology.get()));
        } catch (java.io.IOException | RuntimeException e) {
            return StepOutcome.failed("HAProxy could not route writes to " + r.server() + ": " + e.getMessage()
                    + "; the new primary is writable: point the writer backend at it by hand");
        }
    }
}
