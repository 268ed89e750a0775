package dev.warden.dialect;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * The statements on {@code warden.term} (see {@link dev.warden.model.Term}); the same on every flavor. Names are sent
 * as hex literals, so no name can change the statement.
 */
public final class TermSql {

    /** Every row: a server normally has one, for its cluster. */
    public static final Sql READ = Sql.of("SELECT cluster, epoch, manager FROM warden.term");

    /** As in sql/heartbeat.sql. */
    public static final Sql CREATE = Sql.of("CREATE TABLE IF NOT EXISTS warden.term ("
            + "cluster VARCHAR(255) NOT NULL PRIMARY KEY COMMENT 'the Warden cluster name', "
            + "epoch BIGINT UNSIGNED NOT NULL COMMENT 'leadership epoch of the manager that promoted this primary', "
            + "manager VARCHAR(255) NOT NULL DEFAULT '' COMMENT 'that manager', "
            + "server_id INT UNSIGNED NOT NULL COMMENT 'server_id of the primary it promoted', "
            + "ts TIMESTAMP(6) NOT NULL COMMENT 'primary clock at the promotion') ENGINE=InnoDB");

    /** MySQL's "table doesn't exist": a server no coordinated manager has promoted yet. */
    public static final int NO_TABLE = 1146;

    private TermSql() {
    }

    /** Records that the manager {@code manager}, leading at {@code epoch}, promoted this server for {@code cluster}. */
    public static Sql write(String cluster, long epoch, String manager) {
        String c = hex(cluster);
        String m = hex(manager == null ? "" : manager);
        return Sql.of("INSERT INTO warden.term (cluster, epoch, manager, server_id, ts) VALUES (" + c + ", " + epoch
                + ", " + m + ", @@server_id, NOW(6)) ON DUPLICATE KEY UPDATE epoch = " + epoch + ", manager = " + m
                + ", server_id = @@server_id, ts = NOW(6)");
    }

    /** The row of {@code cluster} among those {@link #READ} returned; null when there is none. */
    public static dev.warden.model.Term parse(java.util.List<Row> rows, String cluster) {
        for (Row r : rows) {
            if (cluster.equals(r.get("cluster"))) {
                return new dev.warden.model.Term(r.getLong(0, "epoch"), r.getOrEmpty("manager"));
            }
        }
        return null;
    }

    private static String hex(String s) {
        return "CONVERT(X'" + HexFormat.of().formatHex(s.getBytes(StandardCharsets.UTF_8)) + "' USING utf8mb4)";
    }
}
