package dev.warden.testing;

import dev.warden.dialect.Dialect;
import dev.warden.dialect.Sql;
import dev.warden.model.ReplicaStatus;
import dev.warden.model.ThreadState;
import dev.warden.probe.Deadline;
import dev.warden.probe.Jdbc;
import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxInstance;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/** Test setup and fault injection as root on a sandbox server. */
public final class RootSql {

    private RootSql() {
    }

    public static void exec(Sandbox sb, SandboxInstance i, String... statements) {
        try (Connection c = sb.root(i); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("on " + i.name() + ": " + e.getMessage(), e);
        }
    }

    /** The ordinary client account of {@link #clientSession}: no SYSTEM_USER, as an application's. */
    public static final String CLIENT_USER = "client";

    /**
     * Creates the ordinary client account on the primary and waits until every replica has it (it replicates):
     * sessions of it are what a fence or a forced catch-up must be able to end on any server version (root's, with
     * SYSTEM_USER on MySQL 8.0.16+, are not).
     */
    public static void createClientAccount(Sandbox sb) {
        exec(sb, sb.primary(), "CREATE USER IF NOT EXISTS '" + CLIENT_USER + "'@'%' IDENTIFIED BY 'client-pw'",
                "GRANT SELECT, INSERT, LOCK TABLES ON app.* TO '" + CLIENT_USER + "'@'%'");
        for (SandboxInstance r : sb.replicas()) {
            Await.until(r.name() + " to have the client account", Duration.ofSeconds(20),
                    () -> value(sb, r, "SELECT COUNT(*) FROM mysql.user WHERE user = '" + CLIENT_USER + "'"),
                    "1"::equals);
        }
    }

    /** A session of the client account (see {@link #createClientAccount}) that has run {@code statements}. */
    public static Connection clientSession(SandboxInstance i, String... statements) {
        try {
            Connection c = java.sql.DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + i.port() + "/?user="
                    + CLIENT_USER + "&password=client-pw&allowPublicKeyRetrieval=true&useSSL=false");
            try (Statement st = c.createStatement()) {
                for (String s : statements) {
                    st.execute(s);
                }
            } catch (SQLException e) {
                c.close();
                throw e;
            }
            return c;
        } catch (SQLException e) {
            throw new IllegalStateException("on " + i.name() + " as " + CLIENT_USER + ": " + e.getMessage(), e);
        }
    }

    public static String value(Sandbox sb, SandboxInstance i, String query) {
        try (Connection c = sb.root(i); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException("on " + i.name() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The server's replication as "host:port IO SQL" (e.g. "127.0.0.1:3306 Yes Yes"), read and parsed in the server's
     * own dialect, or null when it replicates from nobody.
     */
    public static String replication(Sandbox sb, SandboxInstance i) {
        try (Connection c = sb.root(i)) {
            List<ReplicaStatus> channels = Jdbc.replicaStatus(c, Jdbc.dialect(c, deadline()), deadline());
            if (channels.isEmpty()) {
                return null;
            }
            ReplicaStatus r = channels.get(0);
            return r.source() + " " + word(r.ioThread()) + " " + word(r.sqlThread());
        } catch (SQLException e) {
            throw new IllegalStateException("on " + i.name() + ": " + e.getMessage(), e);
        }
    }

    private static String word(ThreadState t) {
        return switch (t) {
            case RUNNING -> "Yes";
            case CONNECTING -> "Connecting";
            case STOPPED -> "No";
            case UNKNOWN -> "?";
        };
    }

    /** A replication statement in the server's own words, e.g. {@code replicaCommand(sb, r, Dialect::stopReplica)}. */
    public static void replicaCommand(Sandbox sb, SandboxInstance i, Function<Dialect, Sql> statement) {
        try (Connection c = sb.root(i); Statement st = c.createStatement()) {
            st.execute(statement.apply(Jdbc.dialect(c, deadline())).text());
        } catch (SQLException e) {
            throw new IllegalStateException("on " + i.name() + ": " + e.getMessage(), e);
        }
    }

    private static Deadline deadline() {
        return Deadline.after(Duration.ofSeconds(10));
    }

    /** The last error number of the server's IO thread (0 when none), read in the server's own dialect. */
    public static int ioErrno(Sandbox sb, SandboxInstance i) {
        try (Connection c = sb.root(i)) {
            List<ReplicaStatus> channels = Jdbc.replicaStatus(c, Jdbc.dialect(c, deadline()), deadline());
            return channels.isEmpty() || channels.get(0).ioError() == null ? 0 : channels.get(0).ioError().errno();
        } catch (SQLException e) {
            throw new IllegalStateException("on " + i.name() + ": " + e.getMessage(), e);
        }
    }

    /**
     * A root session the test keeps open (to hold a lock, say): statements run on it at once; closing it ends the
     * session and releases what it held.
     */
    public static Connection session(Sandbox sb, SandboxInstance i, String... statements) {
        try {
            Connection c = sb.root(i);
            try (Statement st = c.createStatement()) {
                for (String s : statements) {
                    st.execute(s);
                }
            }
            return c;
        } catch (SQLException e) {
            throw new IllegalStateException("on " + i.name() + ": " + e.getMessage(), e);
        }
    }

    /** Every value of the first column. */
    public static java.util.List<String> values(Sandbox sb, SandboxInstance i, String query) {
        java.util.List<String> out = new java.util.ArrayList<>();
        try (Connection c = sb.root(i); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("on " + i.name() + ": " + e.getMessage(), e);
        }
    }

    /** Runs statements on a read-only replica as if it were writable, without binlogging them. */
    public static void execLocallyOnReplica(Sandbox sb, SandboxInstance replica, boolean mysql, String... statements) {
        try (Connection c = sb.root(replica); Statement st = c.createStatement()) {
            st.execute("SET SESSION sql_log_bin = 0");
            st.execute(mysql ? "SET GLOBAL super_read_only = OFF" : "SET GLOBAL read_only = OFF");
            try {
                for (String s : statements) {
                    st.execute(s);
                }
            } finally {
                st.execute(mysql ? "SET GLOBAL super_read_only = ON" : "SET GLOBAL read_only = ON");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("on " + replica.name() + ": " + e.getMessage(), e);
        }
    }
}
