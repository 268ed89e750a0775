package dev.warden.actions;

import dev.warden.dialect.Row;
import dev.warden.dialect.ServerVariables;
import dev.warden.dialect.Sql;
import dev.warden.model.ReadOnlyState;
import dev.warden.plan.MakeReadOnly;
import dev.warden.plan.MakeWritable;
import dev.warden.probe.ConnectionFactory;
import dev.warden.probe.FailureClassifier;
import dev.warden.probe.OwnSessions;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A switchover's read-only step and its undo, each verified on the server. A read-only change that fails (a client
 * holds a table lock) is ended on the server and read back before it is reported; the undo first ends every
 * statement of Warden's still waiting there (a pending read-only change would otherwise take effect once the lock
 * goes), then makes the server writable and reads it back.
 */
final class ReadOnlySteps {

    /** Warden's own statements that change a server's state and may still be waiting there. */
    static final Sql OWN_PENDING = Sql.of("SELECT ID AS id, COALESCE(INFO, '') AS info FROM information_schema.PROCESSLIST "
            + "WHERE USER = SUBSTRING_INDEX(USER(), '@', 1) AND ID <> CONNECTION_ID() AND COMMAND = 'Query' "
            + "AND (INFO LIKE 'SET GLOBAL%' OR INFO LIKE 'FLUSH%')");

    private ReadOnlySteps() {
    }

    static StepOutcome makeReadOnly(MakeReadOnly m, Sessions sessions, ConnectionFactory factory) throws SQLException {
        AdminSession s = sessions.get(m.server(), m.timeout());
        ReadOnlyState target = StepExecutor.strongest(s);
        try {
            Fence.set(s, target);
            return StepOutcome.done(m.server() + " is " + target.display(), Instant.now());
        } catch (SQLException e) {
            AdminSession broken = sessions.drop(m.server());
            OwnSessions.Stopped stop = broken == null ? null : broken.lastStop();
            String cause = FailureClassifier.message(e) + (e.getErrorCode() == 1205 || OwnSessions.clientGaveUp(e)
                    ? ": a session holds a lock that keeps it from turning read-only (LOCK TABLES, FLUSH TABLES WITH "
                    + "READ LOCK, a long DDL or transaction)" : "");
            try (AdminSession fresh = AdminSession.open(factory, m.server(), StepExecutor.REREAD)) {
                String ended = endPending(fresh, factory);
                ServerVariables v = fresh.variables();
                if (v.readOnly() == target) {
                    return StepOutcome.done(m.server() + " is " + target.display() + " (it took effect although the "
                            + "statement reported: " + cause + ")", Instant.now());
                }
                return StepOutcome.failed(m.server() + " could not be made read-only within " + m.timeout().toMillis()
                        + " ms (" + cause + ")" + (stop == null ? "" : "; " + stop.detail()) + ended + "; verified: it is "
                        + v.readOnly().display() + " and nothing of Warden's is still waiting there");
            } catch (SQLException again) {
                return StepOutcome.failed(m.server() + " could not be made read-only within " + m.timeout().toMillis()
                        + " ms (" + cause + ")" + (stop == null ? "" : "; " + stop.detail()) + "; it could not be read "
                        + "again (" + FailureClassifier.message(again) + "): check its read_only by hand");
            }
        }
    }

    static StepOutcome makeWritable(MakeWritable w, Sessions sessions, ConnectionFactory factory) throws SQLException {
        AdminSession s = sessions.get(w.server(), w.timeout());
        String ended = endPending(s, factory);
        if (s.channel() != null) {
            return StepOutcome.failed(w.server() + " replicates from someone; it was not made writable");
        }
        for (Sql sql : s.dialect.setReadOnly(ReadOnlyState.WRITABLE)) {
            s.execute(sql);
        }
        Instant at = Instant.now();
        ServerVariables v = s.variables();
        List<String> still = pending(s);
        if (!v.readOnly().writable() || !still.isEmpty()) {
            return StepOutcome.failed(w.server() + " reads " + v.readOnly().display() + " after being made writable"
                    + (still.isEmpty() ? "" : ", and Warden's " + still + " still waits there"));
        }
        return StepOutcome.done(w.server() + " is writable again (verified: read_only OFF, nothing of Warden's still "
                + "waiting there" + ended + ")", at);
    }

    /** Ends Warden's pending state changes on the server; says what it ended (empty when there were none). */
    static String endPending(AdminSession s, ConnectionFactory factory) throws SQLException {
        List<String> ended = new ArrayList<>();
        for (Row r : s.query(OWN_PENDING)) {
            long id = r.getLong(-1, "id");
            OwnSessions.Stopped st = OwnSessions.stop(factory, s.key, id, AdminSession.STOP_BUDGET);
            if (!st.verified()) {
                throw new SQLException("Warden's own '" + r.get("info") + "' (session " + id + ") still waits on "
                        + s.key + " and could not be ended: " + st.detail());
            }
            ended.add("'" + r.get("info") + "' (session " + id + ")");
        }
        return ended.isEmpty() ? "" : "; ended Warden's " + String.join(", ", ended) + " that still waited there";
    }

    static List<String> pending(AdminSession s) throws SQLException {
        List<String> out = new ArrayList<>();
        for (Row r : s.query(OWN_PENDING)) {
            out.add(r.get("info"));
        }
        return out;
    }
}
