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
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql.text())) {
            return rows(rs);
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
        List<Row> rows = query(c, Sql.of(Dialect.VERSION_QUERY), deadline);
        return Dialects.forVersion(ServerVersion.parse(rows.get(0).get("version"), rows.get(0).get("version_comment")));
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
