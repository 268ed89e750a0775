package dev.warden.actions;

import dev.warden.dialect.Dialect;
import dev.warden.dialect.Row;
import dev.warden.dialect.ServerVariables;
import dev.warden.dialect.Sql;
import dev.warden.model.GtidPosition;
import dev.warden.model.InstanceKey;
import dev.warden.model.ReceiverStatus;
import dev.warden.model.ReplicaStatus;
import dev.warden.probe.ConnectionFactory;
import dev.warden.probe.Deadline;
import dev.warden.probe.Jdbc;
import dev.warden.probe.OwnSessions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection used to change one server, with its dialect; every statement bounded by a deadline on the client
 * and on the server: lock waits end there after the step's timeout (whole seconds), and a statement the client
 * gives up on is ended on the server ({@link OwnSessions}) before the failure is reported, so that nothing Warden
 * started keeps waiting there to take effect later.
 */
final class AdminSession implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AdminSession.class);
    /** How long ending a timed-out statement on the server may take. */
    static final Duration STOP_BUDGET = Duration.ofSeconds(2);

    final InstanceKey key;
    final Connection connection;
    final Dialect dialect;
    final long connectionId;
    private final ConnectionFactory factory;
    private Deadline deadline;
    private boolean shared;
    private volatile boolean broken;
    private long boundSeconds;
    /** What happened to the last statement the client gave up on (null: none). */
    private volatile OwnSessions.Stopped lastStop;

    private AdminSession(InstanceKey key, Connection connection, Jdbc.Identity id, Deadline deadline,
                         ConnectionFactory factory) {
        this.key = key;
        this.connection = connection;
        this.dialect = id.dialect();
        this.connectionId = id.connectionId();
        this.deadline = deadline;
        this.factory = factory;
    }

    /** Bounds the statements that follow by {@code timeout} from now (on the server: its lock waits). */
    AdminSession within(Duration timeout) throws SQLException {
        this.deadline = Deadline.after(timeout);
        bound(timeout);
        return this;
    }

    private void bound(Duration timeout) throws SQLException {
        long seconds = seconds(timeout);
        if (seconds == boundSeconds) {
            return; // already bound so (a round trip less inside a switchover's write pause)
        }
        try {
            Jdbc.boundSession(connection, timeout, deadline);
            boundSeconds = seconds;
        } catch (SQLException e) {
            failed(e);
            throw e;
        }
    }

    /** What is left of the time the statements that follow are bounded by. */
    long remainingNanos() {
        return deadline.remainingNanos();
    }

    static long seconds(Duration d) {
        return Math.max(1, (d.toMillis() + 999) / 1000);
    }

    /** Kept open by an operation's session cache: {@link #close()} leaves it open. */
    AdminSession share() {
        this.shared = true;
        return this;
    }

    boolean usable() {
        try {
            return !broken && !connection.isClosed();
        } catch (SQLException e) {
            return false;
        }
    }

    void closeForGood() {
        shared = false;
        close();
    }

    static AdminSession open(ConnectionFactory factory, InstanceKey key, Duration timeout) throws SQLException {
        Deadline deadline = Deadline.after(timeout);
        Connection c = factory.open(key, Duration.ofNanos(Math.max(1_000_000, deadline.remainingNanos())));
        try {
            AdminSession s = new AdminSession(key, c, Jdbc.identify(c, deadline), deadline, factory);
            Jdbc.boundSession(c, timeout, deadline);
            s.boundSeconds = seconds(timeout);
            return s;
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    void execute(Sql sql) throws SQLException {
        log.debug("{}: {}", key, sql.display());
        try {
            Jdbc.execute(connection, sql, deadline);
        } catch (SQLException e) {
            failed(e, sql);
            throw e;
        }
    }

    List<Row> query(Sql sql) throws SQLException {
        try {
            return Jdbc.query(connection, sql, deadline);
        } catch (SQLException e) {
            failed(e, sql);
            throw e;
        }
    }

    /**
     * After a failure: when the client gave up (timeout), the statement may still run on the server: end it there and
     * remember whether that was verified. The connection is not used again.
     */
    private void failed(SQLException e) {
        failed(e, null);
    }

    private void failed(SQLException e, Sql sql) {
        if (!OwnSessions.clientGaveUp(e)) {
            return;
        }
        broken = true;
        lastStop = OwnSessions.stop(factory, key, connectionId, STOP_BUDGET);
        log.info("{}: a statement timed out on the client{}; {}", key, sql == null ? "" : " (" + sql.display() + ")",
                lastStop.detail());
    }

    /** What became of the last statement the client gave up on, or null when none timed out. */
    OwnSessions.Stopped lastStop() {
        return lastStop;
    }

    ServerVariables variables() throws SQLException {
        return dialect.parseVariables(query(dialect.variablesQuery()).get(0));
    }

    List<ReplicaStatus> replicaStatus(GtidPosition applied) throws SQLException {
        List<ReplicaStatus> all = dialect.parseReplicaStatus(query(dialect.replicaStatusQuery()), applied);
        if (all.isEmpty() || dialect.receiverStatusQuery().isEmpty()) {
            return all;
        }
        Map<String, ReceiverStatus> receivers = dialect.parseReceiverStatus(query(dialect.receiverStatusQuery().get()));
        return all.stream().map(r -> receivers.containsKey(r.channel()) ? r.withReceiver(receivers.get(r.channel())) : r)
                .toList();
    }

    /** The default replication channel, or null when the server replicates from nobody. */
    ReplicaStatus channel() throws SQLException {
        ServerVariables v = variables();
        List<ReplicaStatus> all = replicaStatus(v.replicaApplied());
        return all.stream().filter(r -> r.channel().isEmpty()).findFirst().orElse(all.isEmpty() ? null : all.get(0));
    }

    @Override
    public void close() {
        if (shared && !broken) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            // closing a connection that already broke
        }
    }
}
