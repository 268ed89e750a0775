package dev.warden.actions;

import dev.warden.dialect.Row;
import dev.warden.dialect.ServerVariables;
import dev.warden.dialect.Sql;
import dev.warden.model.GtidPosition;
import dev.warden.model.ReadOnlyState;
import dev.warden.plan.FenceOldPrimary;
import dev.warden.probe.ConnectionFactory;
import dev.warden.probe.FailureClassifier;
import dev.warden.probe.OwnSessions;
import java.sql.SQLException;

/**
 * Fencing an old primary. It is "pending" only while the server cannot be reached: its death was confirmed, and it
 * is fenced as soon as it answers. A server that answers is fenced for real or the step fails (and nothing is
 * promoted): read-only is set, client sessions that hold it back (a table lock, a global read lock) are killed and
 * it is set again, the result is read back, the remaining client sessions are killed, and what it executed is kept
 * for the candidate's catch-up.
 */
final class Fence {

    private Fence() {
    }

    static StepOutcome run(FenceOldPrimary f, Operation op, Sessions sessions, ConnectionFactory factory) {
        AdminSession s;
        try {
            s = sessions.get(f.server(), f.reach());
            s.variables();
        } catch (SQLException e) {
            sessions.drop(f.server());
            return StepOutcome.pending(f.server() + " cannot be reached (" + FailureClassifier.classify(e).display()
                    + ": " + FailureClassifier.message(e) + "); it will be made read-only as soon as it answers");
        }
        ReadOnlyState target = StepExecutor.strongest(s);
        String how;
        int killed = 0;
        try {
            s.within(f.timeout());
            if (s.variables().readOnly() == target) {
                how = "already " + target.display();
            } else {
                try {
                    set(s, target);
                    how = target.display() + " set";
                } catch (SQLException first) {
                    if (!FailureClassifier.isStatementError(first) && !OwnSessions.clientGaveUp(first)) {
                        throw first;
                    }
                    // Held back (a client's table lock or global read lock, a pending DDL) or refused: the client
                    // sessions go (with their locks), then once more.
                    sessions.drop(f.server());
                    s = sessions.get(f.server(), f.timeout());
                    killed = killClients(s);
                    set(s, target);
                    how = target.display() + " set after killing " + killed + " client session(s) that held it back ("
                            + FailureClassifier.message(first) + ")";
                }
            }
            ServerVariables after = s.variables();
            if (after.readOnly() != target) {
                return StepOutcome.failed(f.server() + " answers but reads " + after.readOnly().display() + " after "
                        + "being made " + target.display() + "; nothing is promoted while it may take writes");
            }
            killed += killClients(s);
            GtidPosition executed = s.variables().gtidExecuted();
            if (op != null) {
                op.fenced(executed);
            }
            return StepOutcome.done(f.server() + ": " + how + ", killed " + killed + " client session(s); it had "
                    + "executed " + executed);
        } catch (SQLException e) {
            AdminSession broken = sessions.drop(f.server());
            if (!FailureClassifier.isStatementError(e) && !OwnSessions.clientGaveUp(e)) {
                return StepOutcome.pending(f.server() + " stopped answering while being fenced ("
                        + FailureClassifier.message(e) + "); it will be made read-only as soon as it answers");
            }
            OwnSessions.Stopped stop = broken == null ? null : broken.lastStop();
            return StepOutcome.failed(f.server() + " answers but could not be made read-only ("
                    + FailureClassifier.message(e) + ")" + (stop == null ? "" : "; " + stop.detail()) + "; "
                    + ServerNow.of(factory, f.server(), StepExecutor.REREAD) + ". Nothing is promoted while it may "
                    + "still take writes: fence it by other means (stop it, or fix what refuses the change), then fail "
                    + "over again");
        }
    }

    static void set(AdminSession s, ReadOnlyState target) throws SQLException {
        for (Sql sql : s.dialect.setReadOnly(target)) {
            s.execute(sql);
        }
    }

    /** Kills every client session (not replication, not this one); returns how many went. */
    static int killClients(AdminSession s) throws SQLException {
        int killed = 0;
        for (Row r : s.query(s.dialect.clientSessionsQuery())) {
            long id = r.getLong(-1, "id");
            if (id > 0 && kill(s, id)) {
                killed++;
            }
        }
        return killed;
    }

    private static boolean kill(AdminSession s, long id) {
        try {
            s.execute(s.dialect.killConnection(id));
            return true;
        } catch (SQLException e) {
            return false; // gone already (unknown thread id) or not ours to kill
        }
    }
}
