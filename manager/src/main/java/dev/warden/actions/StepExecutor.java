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

    public StepExecutor(ConnectionFactory factory, Credentials credentials, ReplicationSettingsConfig replication) {
        this.factory = factory;
        this.credentials = credentials;
        this.replication = replication;
    }

    public StepOutcome run(Step step) {
        try {
            if (step instanceof FenceOldPrimary f) {
                return fence(f);
            }
            if (step instanceof CatchUp c) {
                return catchUp(c);
            }
            if (step instanceof Promote p) {
                return promote(p);
            }
            return repoint((Repoint) step);
        } catch (SQLException e) {
            return StepOutcome.failed(step.describe() + " failed: " + FailureClassifier.message(e)
                    + " (" + FailureClassifier.classify(e).display() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return StepOutcome.failed(step.describe() + " interrupted");
        }
    }

    private StepOutcome fence(FenceOldPrimary f) {
        AdminSession s;
        try {
            s = AdminSession.open(factory, f.server(), f.timeout());
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

    private StepOutcome catchUp(CatchUp c) throws SQLException, InterruptedException {
        try (AdminSession s = AdminSession.open(factory, c.server(), c.timeout())) {
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

    private StepOutcome promote(Promote p) throws SQLException {
        try (AdminSession s = AdminSession.open(factory, p.server(), p.timeout())) {
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
            ServerVariables after = s.variables();
            if (s.channel() != null || !after.readOnly().writable()) {
                return StepOutcome.failed(p.server() + " is still " + after.readOnly().display()
                        + (s.channel() != null ? " with replication configured" : "") + " after promotion");
            }
            return StepOutcome.done(p.server() + " replicates from nobody and is writable (executed "
                    + after.gtidExecuted() + ")");
        }
    }

    private StepOutcome repoint(Repoint r) throws SQLException, InterruptedException {
        try (AdminSession source = AdminSession.open(factory, r.newSource(), r.timeout())) {
            ServerVariables sv = source.variables();
            if (!sv.readOnly().writable() || source.channel() != null) {
                return StepOutcome.failed("new source " + r.newSource() + " is " + sv.readOnly().display()
                        + (source.channel() != null ? " and replicates itself" : "") + "; " + r.server()
                        + " was not re-pointed");
            }
        }
        try (AdminSession s = AdminSession.open(factory, r.server(), r.timeout())) {
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
}
