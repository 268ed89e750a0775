package dev.warden.actions;

import dev.warden.config.Credentials;
import dev.warden.config.ReplicationSettingsConfig;
import dev.warden.dialect.ChangeSourceSpec;
import dev.warden.dialect.Row;
import dev.warden.dialect.ServerVariables;
import dev.warden.dialect.Sql;
import dev.warden.model.GtidPosition;
import dev.warden.model.ReadOnlyState;
import dev.warden.model.ReplicaStatus;
import dev.warden.model.ThreadState;
import dev.warden.plan.CatchUp;
import dev.warden.plan.FenceOldPrimary;
import dev.warden.plan.Promote;
import dev.warden.plan.Repoint;
import dev.warden.plan.Step;
import dev.warden.probe.ConnectionFactory;
import dev.warden.probe.FailureClassifier;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * Runs one step against the real server: re-checks its precondition, does the work through the server's dialect,
 * and verifies the result. A step finding its work already done reports ALREADY_DONE. Every wait is bounded by
 * the step's timeout.
 */
public final class StepExecutor {

    private static final Duration POLL = Duration.ofMillis(10);

    private final ConnectionFactory factory;
    private final Credentials credentials;
    private final ReplicationSettingsConfig replication;
    private final dev.warden.hooks.HookRunner hooks;
    private final dev.warden.proxy.HaproxySync haproxy;
    private final java.util.function.Supplier<dev.warden.topology.Topology> topology;

    public StepExecutor(ConnectionFactory factory, Credentials credentials, ReplicationSettingsConfig replication) {
        this(factory, credentials, replication, null, null, () -> null);
    }

    /**
     * @param hooks    runs hook steps; null when none are configured
     * @param haproxy  routes writers; null when the cluster has no HAProxy
     * @param topology the latest topology (maps HAProxy's addresses to servers)
     */
    public StepExecutor(ConnectionFactory factory, Credentials credentials, ReplicationSettingsConfig replication,
                        dev.warden.hooks.HookRunner hooks, dev.warden.proxy.HaproxySync haproxy,
                        java.util.function.Supplier<dev.warden.topology.Topology> topology) {
        this.factory = factory;
        this.credentials = credentials;
        this.replication = replication;
        this.hooks = hooks;
        this.haproxy = haproxy;
        this.topology = topology;
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
            sessions.drop(step.server());
            return StepOutcome.failed(step.describe() + " failed: " + FailureClassifier.message(e)
                    + " (" + FailureClassifier.classify(e).display() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return StepOutcome.failed(step.describe() + " interrupted");
        }
    }

    Sessions sessions() {
        return new Sessions(factory);
    }

    private StepOutcome dispatch(Step step, Operation op, Sessions sessions) throws SQLException, InterruptedException {
        {
            if (step instanceof dev.warden.plan.RunHooks h) {
                return runHooks(h, op);
            }
            if (step instanceof dev.warden.plan.MakeReadOnly m) {
                return makeReadOnly(m, sessions);
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
            if (step instanceof dev.warden.plan.MakeWritable w) {
                return makeWritable(w, sessions);
            }
            if (step instanceof FenceOldPrimary f) {
                return fence(f, sessions);
            }
            if (step instanceof CatchUp c) {
                return catchUp(c, sessions);
            }
            if (step instanceof Promote p) {
                return promote(p, sessions);
            }
            return repoint((Repoint) step, sessions);
        }
    }

    private StepOutcome fence(FenceOldPrimary f, Sessions sessions) {
        AdminSession s;
        try {
            s = sessions.get(f.server(), f.timeout());
        } catch (SQLException e) {
            return StepOutcome.pending(f.server() + " cannot be reached (" + FailureClassifier.classify(e).display()
                    + "); it will be made read-only as soon as it answers");
        }
        try (s) {
            ServerVariables v = s.variables();
            String readOnly;
            ReadOnlyState strongest = s.dialect.version().isMySql() ? ReadOnlyState.SUPER_READ_ONLY
                    : ReadOnlyState.READ_ONLY;
            if (v.readOnly() == strongest) {
                readOnly = "already " + strongest.display();
            } else {
                for (Sql sql : s.dialect.setReadOnly(strongest)) {
                    s.execute(sql);
                }
                readOnly = strongest.display() + " set";
            }
            int killed = 0;
            for (Row r : s.query(s.dialect.clientSessionsQuery())) {
                long id = r.getLong(-1, "id");
                if (id > 0 && kill(s, id)) {
                    killed++;
                }
            }
            return StepOutcome.done(f.server() + ": " + readOnly + ", killed " + killed + " client session(s)");
        } catch (SQLException e) {
            return StepOutcome.pending(f.server() + " could not be fenced (" + FailureClassifier.message(e)
                    + "); retried every cycle until it holds");
        }
    }

    private static boolean kill(AdminSession s, long id) {
        try {
            s.execute(s.dialect.killConnection(id));
            return true;
        } catch (SQLException e) {
            return false; // gone already (unknown thread id) or not ours to kill
        }
    }

    private StepOutcome catchUp(CatchUp c, Sessions sessions) throws SQLException, InterruptedException {
        try (AdminSession s = sessions.get(c.server(), c.timeout())) {
            ReplicaStatus ch = s.channel();
            if (ch == null) {
                return StepOutcome.alreadyDone(c.server() + " replicates from nobody: nothing to apply");
            }
            if (ch.sqlBroken()) {
                return StepOutcome.failed(c.server() + ": SQL thread stopped on " + ch.sqlError()
                        + "; it cannot apply its relay log. Fix the error, START REPLICA SQL_THREAD, then fail over "
                        + "by hand; the cluster has no writable primary until then");
            }
            String started = "";
            if (ch.sqlThread() != ThreadState.RUNNING) {
                s.execute(s.dialect.startReplicaSqlThread());
                started = "started its SQL thread, ";
            }
            long end = System.nanoTime() + c.timeout().toNanos();
            GtidPosition lastApplied = null;
            int stillFor = 0;
            while (true) {
                ReplicaStatus now = s.channel();
                GtidPosition received = now.retrieved();
                GtidPosition applied = now.executed();
                if (applied.contains(received)) {
                    return StepOutcome.done(c.server() + ": " + started + "applied everything it received");
                }
                // A transaction cut short by the primary's death stays in Retrieved but can never be applied:
                // once the SQL thread has nothing else to do and stops moving, what remains is that tail.
                stillFor = applied.equals(lastApplied) && now.sqlThread() == ThreadState.RUNNING ? stillFor + 1 : 0;
                if (stillFor >= 20 && applied.missingFrom(received) <= 1) {
                    return StepOutcome.done(c.server() + ": " + started + "applied everything it received but one "
                            + "incomplete transaction");
                }
                lastApplied = applied;
                if (System.nanoTime() > end) {
                    return StepOutcome.failed(c.server() + " still has " + applied.missingFrom(received)
                            + " received transaction(s) to apply after " + c.timeout().toSeconds() + " s; it was not "
                            + "promoted. Let it catch up (SHOW REPLICA STATUS), then fail over by hand; the cluster "
                            + "has no writable primary until then");
                }
                Thread.sleep(POLL.toMillis());
            }
        }
    }

    private StepOutcome promote(Promote p, Sessions sessions) throws SQLException {
        try (AdminSession s = sessions.get(p.server(), p.timeout())) {
            ServerVariables v = s.variables();
            ReplicaStatus ch = s.channel();
            if (ch == null && v.readOnly().writable()) {
                return StepOutcome.alreadyDone(p.server() + " already replicates from nobody and is writable");
            }
            if (ch != null) {
                s.execute(s.dialect.stopReplica());
                s.execute(s.dialect.resetReplicaAll());
            }
            for (Sql sql : s.dialect.setReadOnly(ReadOnlyState.WRITABLE)) {
                s.execute(sql);
            }
            java.time.Instant writableAt = java.time.Instant.now();
            ServerVariables after = s.variables();
            if (s.channel() != null || !after.readOnly().writable()) {
                return StepOutcome.failed(p.server() + " is still " + after.readOnly().display()
                        + (s.channel() != null ? " with replication configured" : "") + " after promotion");
            }
            return StepOutcome.done(p.server() + " replicates from nobody and is writable (executed "
                    + after.gtidExecuted() + ")", writableAt);
        }
    }

    private StepOutcome repoint(Repoint r, Sessions sessions) throws SQLException, InterruptedException {
        // Its own connection: re-points run in parallel and would otherwise share the new primary's session.
        try (AdminSession source = AdminSession.open(factory, r.newSource(), r.timeout())) {
            ServerVariables sv = source.variables();
            if (!sv.readOnly().writable() || source.channel() != null) {
                return StepOutcome.failed("new source " + r.newSource() + " is " + sv.readOnly().display()
                        + (source.channel() != null ? " and replicates itself" : "") + "; " + r.server()
                        + " was not re-pointed");
            }
        }
        try (AdminSession s = sessions.get(r.server(), r.timeout())) {
            ReplicaStatus ch = s.channel();
            if (ch != null && r.newSource().equals(ch.source()) && ch.bothThreadsRunning()) {
                return StepOutcome.alreadyDone(r.server() + " already replicates from " + r.newSource());
            }
            ReadOnlyState strongest = s.dialect.version().isMySql() ? ReadOnlyState.SUPER_READ_ONLY
                    : ReadOnlyState.READ_ONLY;
            if (s.variables().readOnly() != strongest) {
                for (Sql sql : s.dialect.setReadOnly(strongest)) {
                    s.execute(sql);
                }
            }
            if (ch != null) {
                s.execute(s.dialect.stopReplica());
            } else if (s.dialect.alignReplicaPosition().isPresent()) {
                s.execute(s.dialect.alignReplicaPosition().get());
            }
            s.execute(s.dialect.changeSource(new ChangeSourceSpec(r.newSource(), credentials.replicationUser(),
                    credentials.replicationPassword().reveal(), replication.heartbeatPeriod(),
                    replication.connectRetry(), replication.retryCount())));
            s.execute(s.dialect.startReplica());
            long end = System.nanoTime() + r.timeout().toNanos();
            ReplicaStatus now = s.channel();
            while (!now.bothThreadsRunning()) {
                if (now.sqlBroken() || (now.ioThread() == ThreadState.STOPPED && now.ioError() != null)
                        || System.nanoTime() > end) {
                    return StepOutcome.failed(r.server() + " points at " + r.newSource() + " but IO thread "
                            + now.ioThread().display() + (now.ioError() == null ? "" : " (" + now.ioError() + ")")
                            + ", SQL thread " + now.sqlThread().display()
                            + (now.sqlError() == null ? "" : " (" + now.sqlError() + ")")
                            + "; check SHOW REPLICA STATUS on it");
                }
                Thread.sleep(POLL.toMillis());
                now = s.channel();
            }
            return StepOutcome.done(r.server() + " replicates from " + r.newSource() + ", both threads running");
        }
    }

    // ---- switchover, hooks, proxies -------------------------------------------------------------------

    private StepOutcome runHooks(dev.warden.plan.RunHooks h, Operation op) {
        if (hooks == null || op == null) {
            return StepOutcome.alreadyDone("no hooks for " + h.event().configName());
        }
        dev.warden.plan.Plan plan = op.plan();
        boolean after = !h.event().gates();
        List<dev.warden.hooks.HookOutcome> outcomes = hooks.run(new dev.warden.hooks.HookPayload(h.event(),
                plan.cluster(), op.id(), plan.oldPrimary(), after ? plan.candidate() : null, plan.candidate(),
                plan.kind() == dev.warden.plan.PlanKind.FAILOVER ? plan.dataLossBound() : null, null, plan.trigger(),
                java.time.Instant.now()));
        op.addHooks(outcomes);
        List<dev.warden.hooks.HookOutcome> blocking = outcomes.stream().filter(dev.warden.hooks.HookOutcome::blocks)
                .toList();
        if (!blocking.isEmpty()) {
            return StepOutcome.failed("gate hook " + blocking.get(0) + "; nothing was changed on any server");
        }
        long failed = outcomes.stream().filter(o -> !o.ok()).count();
        return StepOutcome.done(outcomes.size() + " hook(s) for " + h.event().configName()
                + (failed == 0 ? ", all succeeded" : ", " + failed + " failed (best effort, recorded)"));
    }

    private StepOutcome makeReadOnly(dev.warden.plan.MakeReadOnly m, Sessions sessions) throws SQLException {
        try (AdminSession s = sessions.get(m.server(), m.timeout())) {
            ReadOnlyState strongest = s.dialect.version().isMySql() ? ReadOnlyState.SUPER_READ_ONLY
                    : ReadOnlyState.READ_ONLY;
            for (Sql sql : s.dialect.setReadOnly(strongest)) {
                s.execute(sql);
            }
            java.time.Instant at = java.time.Instant.now();
            return StepOutcome.done(m.server() + " is " + strongest.display(), at);
        }
    }

    private StepOutcome killSessions(dev.warden.plan.KillClientSessions k, Sessions sessions) throws SQLException, InterruptedException {
        Thread.sleep(k.grace().toMillis());
        try (AdminSession s = sessions.get(k.server(), k.timeout())) {
            int killed = 0;
            for (Row r : s.query(s.dialect.clientSessionsQuery())) {
                long id = r.getLong(-1, "id");
                if (id > 0 && kill(s, id)) {
                    killed++;
                }
            }
            return StepOutcome.done("killed " + killed + " client session(s) on " + k.server() + " after "
                    + k.grace().toMillis() + " ms");
        }
    }

    private StepOutcome waitForGtid(dev.warden.plan.WaitForGtid w, Sessions sessions) throws SQLException {
        GtidPosition target;
        try (AdminSession src = sessions.get(w.source(), w.timeout())) {
            target = src.variables().gtidExecuted();
        }
        try (AdminSession s = sessions.get(w.server(), w.timeout().plusSeconds(5))) {
            List<Row> rows = s.query(s.dialect.waitForExecuted(target, w.timeout()));
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
    }

    private StepOutcome routeWriters(dev.warden.plan.RouteWriters r) {
        if (haproxy == null) {
            return StepOutcome.alreadyDone("no HAProxy for this cluster");
        }
        try {
            return StepOutcome.done(haproxy.routeWriters(r.server(), topology.get()));
        } catch (java.io.IOException e) {
            return StepOutcome.failed("HAProxy could not route writes to " + r.server() + ": " + e.getMessage()
                    + "; the new primary is writable: point the writer backend at it by hand");
        }
    }

    private StepOutcome makeWritable(dev.warden.plan.MakeWritable w, Sessions sessions) throws SQLException {
        try (AdminSession s = sessions.get(w.server(), w.timeout())) {
            if (s.channel() != null) {
                return StepOutcome.failed(w.server() + " replicates from someone; it was not made writable");
            }
            for (Sql sql : s.dialect.setReadOnly(ReadOnlyState.WRITABLE)) {
                s.execute(sql);
            }
            return StepOutcome.done(w.server() + " is writable again", java.time.Instant.now());
        }
    }
}
