package dev.warden.dialect;

import dev.warden.model.SemiSyncState;
import java.util.List;

/** What every flavor says the same way; flavors override the rest. */
abstract class CommonDialect implements Dialect {

    static final Sql HEARTBEAT_READ = Sql.of("SELECT h.server_id AS server_id, h.seq AS seq, "
            + "UNIX_TIMESTAMP(h.ts) AS ts_epoch, UNIX_TIMESTAMP(NOW(6)) AS now_epoch "
            + "FROM (SELECT 1 AS one) d LEFT JOIN warden.heartbeat h ON TRUE");

    /** Two bind parameters, both the writer's name. LAST_INSERT_ID(seq + 1) returns the new sequence. */
    static final Sql HEARTBEAT_WRITE = Sql.of("INSERT INTO warden.heartbeat (server_id, seq, ts, writer) "
            + "VALUES (@@server_id, 1, NOW(6), ?) "
            + "ON DUPLICATE KEY UPDATE seq = LAST_INSERT_ID(seq + 1), ts = NOW(6), writer = ?");

    /**
     * The heartbeat write of a manager that is not alone: it writes nothing on a server that is read-only (a
     * follower's view may be a cycle older than the leader's fence; on MariaDB read_only does not stop a SUPER
     * account, so an unconditional write could land on a fenced old primary as an errant transaction).
     */
    static final Sql HEARTBEAT_WRITE_WHILE_WRITABLE = Sql.of("INSERT INTO warden.heartbeat (server_id, seq, ts, "
            + "writer) SELECT @@server_id, 1, NOW(6), ? FROM DUAL WHERE @@global.read_only = 0 "
            + "ON DUPLICATE KEY UPDATE seq = LAST_INSERT_ID(seq + 1), ts = NOW(6), writer = ?");

    /** Sessions a fence kills: every client except this session, replication threads and daemons. */
    static final Sql CLIENT_SESSIONS = Sql.of("SELECT ID AS id, USER AS user, HOST AS host, COMMAND AS command "
            + "FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID() "
            + "AND USER NOT IN ('system user', 'event_scheduler') "
            + "AND COMMAND NOT IN ('Binlog Dump', 'Binlog Dump GTID', 'Daemon', 'Killed', "
            + "'Slave_IO', 'Slave_SQL', 'Slave_worker')");

    @Override
    public Sql semiSyncVariablesQuery() {
        return Sql.of("SHOW GLOBAL VARIABLES LIKE 'rpl_semi_sync%'");
    }

    @Override
    public Sql semiSyncStatusQuery() {
        return Sql.of("SHOW GLOBAL STATUS LIKE 'Rpl_semi_sync%'");
    }

    @Override
    public SemiSyncState parseSemiSync(List<Row> variables, List<Row> status) {
        return SemiSyncParser.parse(variables, status);
    }

    @Override
    public Sql heartbeatReadQuery() {
        return HEARTBEAT_READ;
    }

    @Override
    public Sql heartbeatWriteStatement() {
        return HEARTBEAT_WRITE;
    }

    @Override
    public Sql heartbeatWriteWhileWritableStatement() {
        return HEARTBEAT_WRITE_WHILE_WRITABLE;
    }

    @Override
    public Sql startReplicaIoThread() {
        return Sql.of(startReplica().text() + " IO_THREAD");
    }

    @Override
    public Sql stopReplicaIoThread() {
        return Sql.of(stopReplica().text() + " IO_THREAD");
    }

    @Override
    public Sql startReplicaSqlThread() {
        return Sql.of(startReplica().text() + " SQL_THREAD");
    }

    @Override
    public Sql stopReplicaSqlThread() {
        return Sql.of(stopReplica().text() + " SQL_THREAD");
    }

    @Override
    public Sql clientSessionsQuery() {
        return CLIENT_SESSIONS;
    }

    @Override
    public Sql killConnection(long id) {
        return Sql.of("KILL CONNECTION " + id);
    }
}
