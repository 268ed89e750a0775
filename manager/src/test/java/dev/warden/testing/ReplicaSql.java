package dev.warden.testing;

import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxInstance;
import java.time.Duration;
import java.util.Locale;

/**
 * Replication settings a DBA changes by hand, in each server's own words (written here, not with Warden's dialects,
 * so a test states the server's behaviour independently of the code under test).
 */
public final class ReplicaSql {

    private ReplicaSql() {
    }

    /** How the server names its CHANGE statement and options: MariaDB, MySQL before 8.0.23, or MySQL 8.0.23+. */
    private static String[] words(Sandbox sb, SandboxInstance i) {
        String v = RootSql.value(sb, i, "SELECT @@version");
        if (v.toLowerCase(Locale.ROOT).contains("mariadb")) {
            return new String[] {"CHANGE MASTER TO ", "MASTER_", "STOP SLAVE", "START SLAVE"};
        }
        String[] p = v.split("[.-]");
        int major = Integer.parseInt(p[0]);
        int minor = Integer.parseInt(p[1]);
        int patch = Integer.parseInt(p[2]);
        boolean modern = major > 8 || (major == 8 && (minor > 0 || patch >= 23));
        return modern ? new String[] {"CHANGE REPLICATION SOURCE TO ", "SOURCE_", "STOP REPLICA", "START REPLICA"}
                : new String[] {"CHANGE MASTER TO ", "MASTER_", "STOP SLAVE", "START SLAVE"};
    }

    /** Stops replication, changes {@code options} (e.g. "PORT = 3307", with the flavor's prefix added), starts it. */
    public static void change(Sandbox sb, SandboxInstance replica, String... options) {
        String[] w = words(sb, replica);
        StringBuilder sql = new StringBuilder(w[0]);
        for (int n = 0; n < options.length; n++) {
            sql.append(n == 0 ? "" : ", ").append(w[1]).append(options[n]);
        }
        RootSql.exec(sb, replica, w[2], sql.toString(), w[3]);
    }

    /** The source heartbeat period a DBA set (e.g. 30 s, the servers' default for slave_net_timeout = 60). */
    public static void heartbeatPeriod(Sandbox sb, SandboxInstance replica, Duration period) {
        change(sb, replica, String.format(Locale.ROOT, "HEARTBEAT_PERIOD = %.3f", period.toMillis() / 1000.0));
    }

    /** The replica's current heartbeat period as the server reports it. */
    public static Duration heartbeatPeriodOf(Sandbox sb, SandboxInstance replica) {
        String v = RootSql.value(sb, replica, "SELECT @@version");
        String seconds;
        if (v.toLowerCase(Locale.ROOT).contains("mariadb")) {
            seconds = RootSql.value(sb, replica, "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS "
                    + "WHERE VARIABLE_NAME = 'SLAVE_HEARTBEAT_PERIOD'");
        } else {
            seconds = RootSql.value(sb, replica, "SELECT HEARTBEAT_INTERVAL FROM "
                    + "performance_schema.replication_connection_configuration WHERE CHANNEL_NAME = ''");
        }
        return Duration.ofMillis(Math.round(Double.parseDouble(seconds) * 1000));
    }

    /** A delayed replica (SQL thread applies transactions this long after the source committed them). */
    public static void delay(Sandbox sb, SandboxInstance replica, Duration delay) {
        change(sb, replica, "DELAY = " + delay.toSeconds());
    }

    /** A replication filter: the replica ignores {@code db}. */
    public static void ignoreDatabase(Sandbox sb, SandboxInstance replica, String db) {
        String v = RootSql.value(sb, replica, "SELECT @@version");
        if (v.toLowerCase(Locale.ROOT).contains("mariadb")) {
            RootSql.exec(sb, replica, "STOP SLAVE", "SET GLOBAL replicate_ignore_db = '" + db + "'", "START SLAVE");
        } else {
            String[] w = words(sb, replica);
            RootSql.exec(sb, replica, w[2] + " SQL_THREAD", "CHANGE REPLICATION FILTER REPLICATE_IGNORE_DB = (" + db
                    + ")", w[3] + " SQL_THREAD");
        }
    }
}
