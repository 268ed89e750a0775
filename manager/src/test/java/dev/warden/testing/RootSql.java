package dev.warden.testing;

import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxInstance;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

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

    public static String value(Sandbox sb, SandboxInstance i, String query) {
        try (Connection c = sb.root(i); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException("on " + i.name() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The server's replication as "host:port IO SQL" (e.g. "127.0.0.1:3306 Yes Yes") from SHOW SLAVE STATUS /
     * SHOW ALL REPLICAS STATUS read directly, or null when it replicates from nobody.
     */
    public static String replication(Sandbox sb, SandboxInstance i) {
        boolean maria = sb.flavor().flavor() == dev.warden.model.Flavor.MARIADB;
        boolean modern = !maria && replicaVerbs(sb, i);
        String query = maria ? "SHOW ALL REPLICAS STATUS" : modern ? "SHOW REPLICA STATUS" : "SHOW SLAVE STATUS";
        try (Connection c = sb.root(i); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            if (!rs.next()) {
                return null;
            }
            return modern
                    ? rs.getString("Source_Host") + ":" + rs.getInt("Source_Port") + " "
                            + rs.getString("Replica_IO_Running") + " " + rs.getString("Replica_SQL_Running")
                    : rs.getString("Master_Host") + ":" + rs.getInt("Master_Port") + " "
                            + rs.getString("Slave_IO_Running") + " " + rs.getString("Slave_SQL_Running");
        } catch (SQLException e) {
            throw new IllegalStateException("on " + i.name() + ": " + e.getMessage(), e);
        }
    }

    /**
     * A replication command in the server's own words: {@code replicaCommand(sb, r, "STOP", "IO_THREAD")} is
     * {@code STOP SLAVE IO_THREAD} on MySQL before 8.0.22 and {@code STOP REPLICA IO_THREAD} everywhere else.
     */
    public static void replicaCommand(Sandbox sb, SandboxInstance i, String verb, String threads) {
        boolean maria = sb.flavor().flavor() == dev.warden.model.Flavor.MARIADB;
        String noun = maria || replicaVerbs(sb, i) ? "REPLICA" : "SLAVE";
        exec(sb, i, (verb + " " + noun + " " + threads).trim());
    }

    /** MySQL 8.0.22 and later say REPLICA (and 8.4 no longer knows SLAVE). */
    private static boolean replicaVerbs(Sandbox sb, SandboxInstance i) {
        dev.warden.model.ServerVersion v = dev.warden.model.ServerVersion.parse(value(sb, i, "SELECT @@version"),
                value(sb, i, "SELECT @@version_comment"));
        return v.atLeast(8, 0, 22);
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
