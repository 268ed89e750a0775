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
import dev.warden.probe.ServerGreeting;
import dev.warden.hooks.HookOutcome;
import dev.warden.model.Reachability;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Supplier;

/**
 * Fencing an old primary. It is "pending" only while nothing answers there (refused, timed out, no route): its
 * death was confirmed, and it is fenced as soon as it answers. A server that answers (even only to refuse Warden's
 * login) is fenced for real, or by a fence hook, or the step fails and nothing is promoted: read-only is set, client
 * sessions that hold it back (a table lock, a global read lock) are killed and it is set again, the remaining client
 * sessions are killed, the result is read back, and what it executed is kept for the candidate's catch-up.
 */
public final class Fence {

    private Fence() {
    }

    /**
     * @param hooks the cluster's fence_old_primary hooks (STONITH, network or proxy removal), run when the old primary
     *              cannot be reached or answers but cannot be made read-only: one that succeeds is its fence
     */
    static StepOutcome run(FenceOldPrimary f, Operation op, Sessions sessions, ConnectionFactory factory,
                           Supplier<List<HookOutcome>> hooks) {
        AdminSession s;
        // A primary that did not answer the last probes gets a brief look first: only a process that does not even
        // greet (refused, silent, cut off) may have its fence pending. One that greets is fenced with the full time,
        // however slow its login (coming back from a hang, a healed partition).
        ServerGreeting.Seen seen = f.reach().compareTo(f.timeout()) < 0 ? ServerGreeting.look(f.server(), f.reach())
                : ServerGreeting.Seen.GREETS;
        if (seen != ServerGreeting.Seen.GREETS) {
            return unreachable(f, f.server() + " cannot be reached (" + describe(seen) + " within "
                    + f.reach().toMillis() + " ms)", hooks);
        }
        try {
            s = sessions.get(f.server(), f.timeout());
            s.variables();
        } catch (SQLException e) {
            sessions.drop(f.server());
            Reachability how = FailureClassifier.classify(e);
            String why = how.display() + ": " + FailureClassifier.message(e);
            if (!unreachable(how)) {
                // It answers (a refused login, too many connections): it may be taking writes this very moment.
                return notFenced(f, f.server() + " answers but refuses Warden (" + why + ")", hooks, false);
            }
            ServerGreeting.Seen now = ServerGreeting.look(f.server(), f.reach());
            if (now == ServerGreeting.Seen.GREETS) {
                return notFenced(f, f.server() + " greets but Warden's session failed (" + why + ")", hooks, false);
            }
            return unreachable(f, f.server() + " cannot be reached (" + why + "; " + describe(now) + ")", hooks);
        }
        ReadOnlyState target = StepExecutor.strongest(s);
        String how;
        int killed = 0;
        List<String> refused = new java.util.ArrayList<>();
        boolean made = false;
        try {
            s.within(f.timeout());
            if (s.variables().readOnly() == target) {
                how = "already " + target.display();
            } else {
                try {
                    set(s, target);
                    made = true;
                    how = target.display() + " set (" + MADE_READ_ONLY + ")";
                } catch (SQLException first) {
                    if (!heldBack(first)) {
                        throw first;
                    }
                    // Held back by a client's table lock or global read lock, or a pending DDL: the client sessions
                    // go (with their locks), then once more.
                    sessions.drop(f.server());
                    s = sessions.get(f.server(), f.timeout());
                    killed = killClients(s, refused);
                    s.within(f.timeout());
                    set(s, target);
                    made = true;
                    how = target.display() + " set after killing " + killed + " client session(s) that held it back ("
                            + FailureClassifier.message(first) + "; " + MADE_READ_ONLY + ")";
                }
            }
            s.within(f.timeout()); // the kills get a bound of their own
            killed += killClients(s, refused);
            // Read after the kills: a session killed there may have been a pending change of read_only.
            s.within(f.timeout());
            ServerVariables after = s.variables();
            if (after.readOnly() != target) {
                return notFenced(f, f.server() + " reads " + after.readOnly().display() + " after being made "
                        + target.display(), hooks, made);
            }
            if (target == ReadOnlyState.READ_ONLY && !refused.isEmpty()) {
                // MariaDB's read_only does not stop accounts with READ_ONLY ADMIN or SUPER: a session that could not
                // be ended may go on writing.
                return notFenced(f, f.server() + " is read_only but client session(s) it could not end may still "
                        + "write (" + String.join("; ", refused) + ")", hooks, made);
            }
            GtidPosition executed = after.gtidExecuted();
            if (op != null) {
                op.fenced(executed);
            }
            return StepOutcome.done(f.server() + ": " + how + ", killed " + killed + " client session(s)"
                    + (refused.isEmpty() ? "" : " (could not end " + String.join("; ", refused) + ")") + "; it had "
                    + "executed " + executed);
        } catch (SQLException e) {
            AdminSession broken = sessions.drop(f.server());
            OwnSessions.Stopped stop = broken == null ? null : broken.lastStop();
            String why = FailureClassifier.message(e) + (stop == null ? "" : "; " + stop.detail())
                    + (refused.isEmpty() ? "" : "; client session(s) it could not end: " + String.join("; ", refused));
            if (!FailureClassifier.isStatementError(e) && !OwnSessions.clientGaveUp(e)) {
                // The connection broke: pending only if the server now cannot be reached at all.
                Reachability now = reach(factory, f);
                if (unreachable(now) && ServerGreeting.look(f.server(), f.reach()) != ServerGreeting.Seen.GREETS) {
                    return unreachable(f, f.server() + " stopped answering while being fenced (" + why + "; now "
                            + now.display() + ")" + (made ? " after it was " + MADE_READ_ONLY : ""), hooks);
                }
                return notFenced(f, f.server() + " broke Warden's session while being fenced (" + why + ") and "
                        + "still answers", hooks, made);
            }
            return notFenced(f, f.server() + " answers but could not be made read-only (" + why + "); "
                    + ServerNow.of(factory, f.server(), StepExecutor.REREAD), hooks, made);
        }
    }

    /** In a fence's record when this operation turned read-only on (it was writable before). */
    public static final String MADE_READ_ONLY = "made read-only by this operation";

    /** Whether a fence step's record says this operation made the old primary read-only. */
    public static boolean madeReadOnly(StepStatus status, String detail) {
        return (status == StepStatus.DONE || status == StepStatus.FAILED) && detail != null
                && detail.contains(MADE_READ_ONLY) && !detail.contains("fenced by hook");
    }

    /** Refused, timed out, no route: nothing answers, so nothing can be taking writes through it right now. */
    static boolean unreachable(Reachability r) {
        return r == Reachability.REFUSED || r == Reachability.TIMEOUT || r == Reachability.NETWORK_ERROR;
    }

    /** A change of read_only waiting for a lock (ended by lock_wait_timeout, a kill, or the client's deadline). */
    static boolean heldBack(SQLException e) {
        return e.getErrorCode() == 1205 || e.getErrorCode() == 1317 || OwnSessions.clientGaveUp(e);
    }

    private static Reachability reach(ConnectionFactory factory, FenceOldPrimary f) {
        try (java.sql.Connection c = factory.open(f.server(), f.reach())) {
            return Reachability.REACHABLE;
        } catch (SQLException e) {
            return FailureClassifier.classify(e);
        }
    }

    /** Unreachable: fenced by a hook that succeeds, else pending (made read-only as soon as it answers). */
    private static StepOutcome unreachable(FenceOldPrimary f, String what, Supplier<List<HookOutcome>> hooks) {
        List<HookOutcome> ran = hooks.get();
        List<String> fencedBy = succeeded(ran);
        if (!fencedBy.isEmpty()) {
            return StepOutcome.done(what + "; fenced by hook " + String.join(", ", fencedBy)
                    + "; it is also made read-only whenever it answers");
        }
        return StepOutcome.pending(what + (ran.isEmpty() ? "" : "; no fence hook succeeded (" + ran + ")")
                + "; it will be made read-only as soon as it answers");
    }

    static String describe(ServerGreeting.Seen seen) {
        return switch (seen) {
            case REFUSED -> "refused";
            case SILENT -> "connected but the server never greeted: its process does not run";
            case NO_ANSWER -> "no connection";
            case GREETS -> "it greets";
        };
    }

    /**
     * Reachable but not read-only: fenced only by a hook that succeeds; otherwise nothing may be promoted.
     *
     * @param made this fence did turn read-only on before it failed (the record says so: a failover that promotes
     *             nobody gives the writes back)
     */
    private static StepOutcome notFenced(FenceOldPrimary f, String what, Supplier<List<HookOutcome>> hooks,
                                         boolean made) {
        List<HookOutcome> ran = hooks.get();
        List<String> fencedBy = succeeded(ran);
        if (!fencedBy.isEmpty()) {
            return StepOutcome.done(what + "; fenced by hook " + String.join(", ", fencedBy)
                    + "; it is also made read-only whenever it answers");
        }
        return StepOutcome.failed(what + (made ? " (it was " + MADE_READ_ONLY + ")" : "")
                + (ran.isEmpty() ? "" : "; no fence hook succeeded (" + ran + ")")
                + ". Nothing is promoted while it may still take writes: fence it by other means (stop it, a "
                + "fence_old_primary hook, or fix what refuses the change), then fail over again");
    }

    private static List<String> succeeded(List<HookOutcome> ran) {
        return ran.stream().filter(HookOutcome::ok).map(HookOutcome::hook).toList();
    }

    static void set(AdminSession s, ReadOnlyState target) throws SQLException {
        for (Sql sql : s.dialect.setReadOnly(target)) {
            s.execute(sql);
        }
    }

    /** Kills every client session (not replication, not this one); returns how many went. */
    static int killClients(AdminSession s) throws SQLException {
        return killClients(s, null);
    }

    /**
     * As {@link #killClients(AdminSession)}; each session the server would not let Warden end is added to
     * {@code refused} ("id user@host: why"), e.g. one of an account with SYSTEM_USER (MySQL 8.0.16+), which only an
     * account with SYSTEM_USER may end.
     */
    static int killClients(AdminSession s, List<String> refused) throws SQLException {
        int killed = 0;
        for (Row r : s.query(s.dialect.clientSessionsQuery())) {
            long id = r.getLong(-1, "id");
            if (id <= 0) {
                continue;
            }
            try {
                s.execute(s.dialect.killConnection(id));
                killed++;
            } catch (SQLException e) {
                if (e.getErrorCode() != 1094 && e.getErrorCode() != 1095 && e.getErrorCode() != 1227) {
                    throw e; // not a refusal: the connection broke or the deadline passed
                }
                if (e.getErrorCode() != 1094 && refused != null) { // 1094: gone already
                    refused.add(id + " " + r.get("user") + "@" + r.get("host") + ": " + FailureClassifier.message(e)
                            + (e.getErrorCode() == 1095 || e.getErrorCode() == 1227 ? " (sessions of an account with "
                            + "SYSTEM_USER can be ended only by one with it: grant it to Warden's account to fence "
                            + "against them)" : ""));
                }
            }
        }
        return killed;
    }
}
