package dev.warden.actions;

import dev.warden.dialect.Dialect;
import dev.warden.dialect.Row;
import dev.warden.dialect.ServerVariables;
import dev.warden.dialect.Sql;
import dev.warden.model.GtidPosition;
import dev.warden.model.InstanceKey;
import dev.warden.model.ReplicaStatus;
import dev.warden.probe.ConnectionFactory;
import dev.warden.probe.Deadline;
import dev.warden.probe.Jdbc;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One connection used to change one server, with its dialect; every statement bounded by a deadline. */
final class AdminSession implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AdminSession.class);

    final InstanceKey key;
    final Connection connection;
    final Dialect dialect;
    private Deadline deadline;
    private boolean shared;

    private AdminSession(InstanceKey key, Connection connection, Dialect dialect, Deadline deadline) {
        this.key = key;
        this.connection = connection;
        this.dialect = dialect;
        this.deadline = deadline;
    }

    /** Bounds the statements that follow by {@code timeout} from now. */
    AdminSession within(Duration timeout) {
        this.deadline = Deadline.after(timeout);
        return this;
    }

    /** Kept open by an operation's session cache: {@link #close()} leaves it open. */
    AdminSession share() {
        this.shared = true;
        return this;
    }

    boolean usable() {
        try {
            return !connection.isClosed();
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
            return new AdminSession(key, c, Jdbc.dialect(c, deadline), deadline);
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    void execute(Sql sql) throws SQLException {
        log.debug("{}: {}", key, sql.display());
        Jdbc.execute(connection, sql, deadline);
    }

    List<Row> query(Sql sql) throws SQLException {
        return Jdbc.query(connection, sql, deadline);
    }

    ServerVariables variables() throws SQLException {
        return dialect.parseVariables(query(dialect.variablesQuery()).get(0));
    }

    List<ReplicaStatus> replicaStatus(GtidPosition applied) throws SQLException {
        return dialect.parseReplicaStatus(query(dialect.replicaStatusQuery()), applied);
    }

    /** The default replication channel, or null when the server replicates from nobody. */
    ReplicaStatus channel() throws SQLException {
        ServerVariables v = variables();
        List<ReplicaStatus> all = replicaStatus(v.replicaApplied());
        return all.stream().filter(r -> r.channel().isEmpty()).findFirst().orElse(all.isEmpty() ? null : all.get(0));
    }

    @Override
    public void close() {
        if (shared) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            // closing a connection that already broke
        }
    }
}
