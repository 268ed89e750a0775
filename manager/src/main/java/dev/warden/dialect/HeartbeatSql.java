package dev.warden.dialect;

/** Heartbeat statements; identical on every flavor (see sql/heartbeat.sql for the table). */
final class HeartbeatSql {

    private HeartbeatSql() {
    }

    static final Sql READ = Sql.of("SELECT h.server_id AS server_id, h.seq AS seq, UNIX_TIMESTAMP(h.ts) AS ts_epoch, "
            + "UNIX_TIMESTAMP(NOW(6)) AS now_epoch FROM (SELECT 1 AS one) d LEFT JOIN warden.heartbeat h ON TRUE");

    /** Two bind parameters, both the writer's name. LAST_INSERT_ID(seq + 1) returns the new sequence. */
    static final Sql WRITE = Sql.of("INSERT INTO warden.heartbeat (server_id, seq, ts, writer) "
            + "VALUES (@@server_id, 1, NOW(6), ?) "
            + "ON DUPLICATE KEY UPDATE seq = LAST_INSERT_ID(seq + 1), ts = NOW(6), writer = ?");
}
