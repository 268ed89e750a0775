package dev.warden.probe;

import dev.warden.dialect.Dialect;
import dev.warden.dialect.Row;
import dev.warden.model.InstanceKey;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * The manager's one connection to one server, reused across probes and replaced when it breaks.
 * Knows the server's dialect (read once per connection: a restart may bring a new version).
 * Used by one thread at a time.
 *
 * <p>Bounded on the server too: lock waits of its statements end after a second there, and a connection dropped
 * after a failure is killed on the server by the next connect (a statement the client gave up on would otherwise
 * keep waiting there, one more session per probe while the server is stuck).
 */
public final class ProbeConnection implements AutoCloseable {

    private final InstanceKey key;
    private final ConnectionFactory factory;
    /** Server-side bound on this session's lock waits (whole seconds). */
    static final Duration LOCK_WAIT = Duration.ofSeconds(1);

    private Connection connection;
    private Dialect dialect;
    private long connectionId;
    /** The server-side id of the last connection dropped after a failure: killed by the next connect. */
    /** Sessions of this connection given up on (a statement timed out) that may still run on the server. */
    private final java.util.List<Long> abandoned = new java.util.ArrayList<>();
    private List<Row> semiSyncSettings;
    private long semiSyncSettingsReadAt;

    public ProbeConnection(InstanceKey key, ConnectionFactory factory) {
        this.key = key;
        this.factory = factory;
    }

    public InstanceKey key() {
        return key;
    }

    /** Whether the next {@link #connect} reuses an open connection (which may have gone stale). */
    public synchronized boolean isOpen() {
        return connection != null;
    }

    /** The open connection, or a new one within the deadline. */
    public synchronized Connection connect(Deadline deadline) throws SQLException {
        if (connection != null) {
            return connection;
        }
        Duration budget = Duration.ofNanos(Math.max(1_000_000, deadline.remainingNanos()));
        Connection c;
        try {
            c = factory.open(key, budget);
        } catch (SQLException e) {
            if (FailureClassifier.classify(e) == dev.warden.model.Reachability.REFUSED) {
                abandoned.clear(); // nothing listens: the server is down, and its sessions with it
            }
            throw e;
        }
        try {
            Jdbc.Identity id = Jdbc.identify(c, deadline);
            Jdbc.boundSession(c, LOCK_WAIT, deadline);
            endAbandoned(c, id.connectionId(), deadline);
            dialect = id.dialect();
            connectionId = id.connectionId();
        } catch (SQLException | RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
        connection = c;
        return c;
    }

    /** The dialect of the connected server; call after {@link #connect}. */
    public synchronized Dialect dialect() {
        if (dialect == null) {
            throw new IllegalStateException("not connected to " + key);
        }
        return dialect;
    }

    /**
     * The semi-sync settings read on this connection within {@code maxAge}, or null when they must be read again.
     * They change only when a DBA changes them; the live status is read on every probe where they are enabled.
     */
    public synchronized List<Row> semiSyncSettings(Duration maxAge) {
        if (semiSyncSettings == null || System.nanoTime() - semiSyncSettingsReadAt > maxAge.toNanos()) {
            return null;
        }
        return semiSyncSettings;
    }

    public synchronized void semiSyncSettingsRead(List<Row> rows) {
        semiSyncSettings = List.copyOf(rows);
        semiSyncSettingsReadAt = System.nanoTime();
    }

    /**
     * KILLs the abandoned sessions still running a statement under Warden's account (after a server restart an id
     * may be someone else's) and keeps those that still run: a session stuck in a commit survives KILL.
     */
    private void endAbandoned(Connection c, long self, Deadline deadline) throws SQLException {
        java.util.Iterator<Long> it = abandoned.iterator();
        while (it.hasNext()) {
            long id = it.next();
            if (id == self) {
                it.remove(); // the server restarted and gave the id to this very connection
                continue;
            }
            try {
                if (OwnSessions.runsAs(c, id, factory.user(), deadline)) {
                    OwnSessions.kill(c, "KILL " + id, deadline);
                }
                if (!OwnSessions.runsAs(c, id, factory.user(), deadline)) {
                    it.remove();
                }
            } catch (SQLException e) {
                if (!FailureClassifier.isStatementError(e)) {
                    throw e;
                }
                it.remove();
            }
        }
    }

    /**
     * The sessions this connection gave up on that still run on the server, checked again now on the open
     * connection (none when it is not open). A new write must not join them: sessions would pile up on a server
     * stuck in its commits.
     */
    public synchronized java.util.List<Long> stillRunning(Deadline deadline) throws SQLException {
        if (connection != null && !abandoned.isEmpty()) {
            endAbandoned(connection, connectionId, deadline);
        }
        return java.util.List.copyOf(abandoned);
    }

    /**
     * Drops {@code used} after a failure on it, unless it was already dropped and replaced (a heartbeat write that
     * outlived its bound is abandoned by the prober, which may have connected again since): a late failure must not
     * close the connection another probe now uses.
     */
    public synchronized void invalidate(Connection used) {
        if (connection != null && connection == used) {
            invalidate();
        }
    }

    /** Drops the connection after a failure; the next probe reconnects. */
    public synchronized void invalidate() {
        semiSyncSettings = null;
        if (connection != null) {
            Connection c = connection;
            connection = null;
            dialect = null;
            if (connectionId > 0) {
                abandoned.add(connectionId);
            }
            connectionId = 0;
            abortQuietly(c);
        }
    }

    @Override
    public synchronized void close() {
        invalidate();
    }

    private static void abortQuietly(Connection c) {
        try {
            c.abort(Runnable::run);
        } catch (SQLException | RuntimeException ignored) {
            closeQuietly(c);
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException | RuntimeException ignored) {
            // already broken
        }
    }
}
