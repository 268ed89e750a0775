package dev.warden.probe;

import dev.warden.dialect.Dialect;
import dev.warden.dialect.Dialects;
import dev.warden.dialect.Row;
import dev.warden.dialect.Sql;
import dev.warden.model.GtidPosition;
import dev.warden.model.ReplicaStatus;
import dev.warden.model.ServerVersion;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/** Runs statements with the remaining time of a deadline as the socket timeout. */
public final class Jdbc {

    /** Connector/J applies network timeouts through an executor; run it in place. */
    private static final Executor DIRECT = Runnable::run;

    private Jdbc() {
    }

    public static List<Row> query(Connection c, Sql sql, Deadline deadline) throws SQLException {
        bound(c, deadline);
        // execute(), not executeQuery(): the driver refuses the latter for a query that does not start like one
        // (MariaDB's SET STATEMENT max_statement_time = ... FOR SELECT ...).
        try (Statement st = c.createStatement()) {
            if (!st.execute(sql.text())) {
                return List.of();
            }
            try (ResultSet rs = st.getResultSet()) {
                return rows(rs);
            }
        }
    }

    public static void execute(Connection c, Sql sql, Deadline deadline) throws SQLException {
        bound(c, deadline);
        try (Statement st = c.createStatement()) {
            st.execute(sql.text());
        }
    }

    public static void bound(Connection c, Deadline deadline) throws SQLException {
        if (deadline.expired()) {
            throw new java.sql.SQLTimeoutException("deadline passed before the statement was sent");
        }
        c.setNetworkTimeout(DIRECT, deadline.remainingMillisAtLeastOne());
    }

    /** The dialect of the server behind {@code c}, from its version and version comment. */
    public static Dialect dialect(Connection c, Deadline deadline) throws SQLException {
        return identify(c, deadline).dialect();
    }

    /** Who is behind a connection: the server's dialect and this session's id on it (to end it from outside). */
    public record Identity(Dialect dialect, long connectionId) {
    }

    static final Sql IDENTIFY = Sql.of(Dialect.VERSION_QUERY + ", CONNECTION_ID() AS connection_id");

    public static Identity identify(Connection c, Deadline deadline) throws SQLException {
        List<Row> rows = query(c, IDENTIFY, deadline);
        Row r = rows.get(0);
        return new Identity(Dialects.forVersion(ServerVersion.parse(r.get("version"), r.get("version_comment"))),
                r.getLong(0, "connection_id"));
    }

    /**
     * Server-side bounds for a session of Warden's: waits for metadata and global locks and for InnoDB row locks end
     * after {@code lockWait} (whole seconds, at least one) on the server, whatever the client does meanwhile.
     */
    public static void boundSession(Connection c, java.time.Duration lockWait, Deadline deadline) throws SQLException {
        long s = Math.max(1, (lockWait.toMillis() + 999) / 1000);
        // UTC: differences of server timestamps (the receiver's last heartbeat) must not jump at a DST change.
        execute(c, Sql.of("SET SESSION lock_wait_timeout = " + s + ", innodb_lock_wait_timeout = " + s
                + ", time_zone = '+00:00'"), deadline);
    }

    /** The server's replication channels, read and parsed in its own dialect (empty: it replicates from nobody). */
    public static List<ReplicaStatus> replicaStatus(Connection c, Dialect d, Deadline deadline) throws SQLException {
        return d.parseReplicaStatus(query(c, d.replicaStatusQuery(), deadline),
                GtidPosition.empty(d.version().flavor()));
    }

    public static List<Row> rows(ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        int n = md.getColumnCount();
        List<Row> out = new ArrayList<>();
        while (rs.next()) {
            Map<String, String> m = new LinkedHashMap<>();
            for (int i = 1; i <= n; i++) {
                m.put(md.getColumnLabel(i), rs.getString(i));
            }
            out.add(Row.of(m));
        }
        return out;
    }
}
