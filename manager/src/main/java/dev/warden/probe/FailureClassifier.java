package dev.warden.probe;

import dev.warden.model.Reachability;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.Set;

/**
 * Classifies a failed connect or query from its cause chain, SQLState and error code (as HikariCP's
 * {@code checkException} does), never from message text alone.
 */
public final class FailureClassifier {

    private static final int MAX_DEPTH = 12;
    /** Access denied for user; authentication plugin errors. */
    private static final Set<Integer> AUTH_ERRORS = Set.of(1045, 1251, 1698, 2061);
    /** The server refuses work: too many connections, host blocked, shutting down, server gone. */
    private static final Set<Integer> SERVER_REFUSALS = Set.of(1040, 1129, 1130, 1053, 1077, 3169, 4031);
    /** A statement failed for lack of a privilege (the connection itself is fine). */
    private static final Set<Integer> PRIVILEGE_ERRORS = Set.of(1044, 1142, 1143, 1227, 1370, 3530);

    private FailureClassifier() {
    }

    /** What the failure says about reaching the server. */
    public static Reachability classify(Throwable failure) {
        Throwable t = failure;
        Reachability fromSql = null;
        for (int depth = 0; t != null && depth < MAX_DEPTH; depth++, t = t.getCause()) {
            if (t instanceof ConnectException) {
                return Reachability.REFUSED;
            }
            if (t instanceof SocketTimeoutException) {
                return Reachability.TIMEOUT;
            }
            if (t instanceof UnknownHostException || t instanceof NoRouteToHostException) {
                return Reachability.NETWORK_ERROR;
            }
            if (t instanceof java.net.SocketException) {
                return Reachability.NETWORK_ERROR;
            }
            if (t instanceof java.io.EOFException) {
                return Reachability.NETWORK_ERROR;
            }
            if (t instanceof SQLException e && fromSql == null) {
                fromSql = classifySql(e);
            }
        }
        return fromSql != null ? fromSql : Reachability.UNKNOWN;
    }

    private static Reachability classifySql(SQLException e) {
        int code = e.getErrorCode();
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (AUTH_ERRORS.contains(code) || state.startsWith("28")) {
            return Reachability.AUTH_FAILED;
        }
        if (SERVER_REFUSALS.contains(code)) {
            return Reachability.SERVER_ERROR;
        }
        if (e instanceof java.sql.SQLTimeoutException) {
            return Reachability.TIMEOUT;
        }
        if (state.startsWith("08")) {
            return Reachability.NETWORK_ERROR;
        }
        return null;
    }

    /**
     * A statement ended on the server by a bound or a kill: lock wait timeout (1205), interrupted (1317), MySQL's
     * max_execution_time (3024), MariaDB's max_statement_time (1969). The connection is fine.
     */
    private static final Set<Integer> STATEMENT_ENDED = Set.of(1205, 1317, 3024, 1969);

    /** The server itself ended the statement (a bound or a kill): nothing of it is left running there. */
    public static boolean endedOnServer(Throwable failure) {
        return failure instanceof SQLException e && STATEMENT_ENDED.contains(e.getErrorCode());
    }

    /** A statement failed because the account lacks a privilege; the connection is still usable. */
    public static boolean isPrivilegeError(Throwable failure) {
        return failure instanceof SQLException e && PRIVILEGE_ERRORS.contains(e.getErrorCode());
    }

    /** The statement failed but the connection is healthy (syntax, missing table, privilege...). */
    public static boolean isStatementError(Throwable failure) {
        if (!(failure instanceof SQLException e)) {
            return false;
        }
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (STATEMENT_ENDED.contains(e.getErrorCode()) && !state.startsWith("08")) {
            return true;
        }
        return e.getErrorCode() > 0 && e.getErrorCode() < 2000 && !state.startsWith("08")
                && classify(e) == Reachability.UNKNOWN;
    }

    /** The deepest message in the cause chain: the real reason, without wrapper noise. */
    public static String rootMessage(Throwable failure) {
        Throwable t = failure;
        String message = failure.toString();
        for (int depth = 0; t != null && depth < MAX_DEPTH; depth++, t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                message = t.getMessage();
            }
        }
        return firstLine(message);
    }

    /** The outermost message (what the driver says happened), first line only. */
    public static String message(Throwable failure) {
        String m = failure.getMessage() == null ? failure.toString() : failure.getMessage();
        return firstLine(m);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).trim();
    }
}
