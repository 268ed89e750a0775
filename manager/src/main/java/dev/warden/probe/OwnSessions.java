package dev.warden.probe;

import dev.warden.dialect.Sql;
import dev.warden.model.InstanceKey;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * Ends Warden's own statements on a server when the client stopped waiting for them: a timed-out statement keeps
 * running on the server (a {@code SET GLOBAL super_read_only} waiting for a table lock takes effect whenever the lock
 * goes, long after Warden reported it had failed). {@code KILL QUERY} from a second connection of the same account
 * ends it (no privilege is needed to kill one's own sessions); this says whether that was verified.
 */
public final class OwnSessions {

    private OwnSessions() {
    }

    /** What became of the session. */
    public record Stopped(boolean verified, String detail) {
    }

    /**
     * Ends whatever session {@code connectionId} runs (KILL QUERY, then KILL CONNECTION if it still runs) and waits
     * until the server shows it idle or gone, within {@code budget}.
     */
    public static Stopped stop(ConnectionFactory factory, InstanceKey key, long connectionId, Duration budget) {
        if (connectionId <= 0) {
            return new Stopped(false, "its session id is unknown");
        }
        Deadline deadline = Deadline.after(budget);
        try (Connection c = factory.open(key, Duration.ofNanos(Math.max(1_000_000, deadline.remainingNanos())))) {
            kill(c, "KILL QUERY " + connectionId, deadline);
            long connectionKillAt = System.nanoTime() + Duration.ofMillis(300).toNanos();
            boolean killedConnection = false;
            while (true) {
                String state = state(c, connectionId, deadline);
                if (state == null || state.equals("Sleep")) {
                    return new Stopped(true, "session " + connectionId + (state == null ? " ended" : " idle")
                            + " on the server (verified)");
                }
                if (!killedConnection && System.nanoTime() > connectionKillAt) {
                    kill(c, "KILL CONNECTION " + connectionId, deadline);
                    killedConnection = true;
                }
                if (deadline.expired()) {
                    return new Stopped(false, "session " + connectionId + " still shows '" + state + "' on the server");
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return new Stopped(false, "interrupted while ending session " + connectionId);
                }
            }
        } catch (SQLException e) {
            return new Stopped(false, "could not end session " + connectionId + ": " + FailureClassifier.message(e));
        }
    }

    /** KILL, ignoring "unknown thread" (1094): it ended by itself meanwhile. */
    static void kill(Connection c, String statement, Deadline deadline) throws SQLException {
        try {
            Jdbc.execute(c, Sql.of(statement), deadline);
        } catch (SQLException e) {
            if (e.getErrorCode() != 1094) {
                throw e;
            }
        }
    }

    /** Whether session {@code id} exists, belongs to {@code user} and runs a statement. */
    static boolean runsAs(Connection c, long id, String user, Deadline deadline) throws SQLException {
        List<dev.warden.dialect.Row> rows = Jdbc.query(c, Sql.of("SELECT USER AS user, COMMAND AS command FROM "
                + "information_schema.PROCESSLIST WHERE ID = " + id), deadline);
        return !rows.isEmpty() && user != null && user.equals(rows.get(0).get("user"))
                && !"Sleep".equals(rows.get(0).get("command"));
    }

    /** The session's COMMAND in the processlist, null when it is gone. */
    static String state(Connection c, long id, Deadline deadline) throws SQLException {
        List<dev.warden.dialect.Row> rows = Jdbc.query(c, Sql.of("SELECT COMMAND AS command FROM "
                + "information_schema.PROCESSLIST WHERE ID = " + id), deadline);
        return rows.isEmpty() ? null : rows.get(0).get("command");
    }

    /** A failure that means the client stopped waiting while the statement may still run on the server. */
    public static boolean clientGaveUp(Throwable e) {
        return !FailureClassifier.endedOnServer(e)
                && FailureClassifier.classify(e) == dev.warden.model.Reachability.TIMEOUT;
    }
}
