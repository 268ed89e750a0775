package dev.warden.dialect;

/** Sessions a fence kills: every client except this session, replication threads and daemons. */
final class ProcesslistSql {

    private ProcesslistSql() {
    }

    static final Sql CLIENT_SESSIONS = Sql.of("SELECT ID AS id, USER AS user, HOST AS host, COMMAND AS command "
            + "FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID() "
            + "AND USER NOT IN ('system user', 'event_scheduler') "
            + "AND COMMAND NOT IN ('Binlog Dump', 'Binlog Dump GTID', 'Daemon', 'Killed', "
            + "'Slave_IO', 'Slave_SQL', 'Slave_worker')");
}
