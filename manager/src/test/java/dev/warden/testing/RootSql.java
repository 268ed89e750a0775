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
