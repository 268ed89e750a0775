package dev.warden.dialect;

import dev.warden.model.ConnectedReplica;
import dev.warden.model.Flavor;
import dev.warden.model.GtidPosition;
import dev.warden.model.GtidSet;
import dev.warden.model.ReadOnlyState;
import dev.warden.model.ReceiverStatus;
import dev.warden.model.ReplicaStatus;
import dev.warden.model.ReplicationSettings;
import dev.warden.model.ServerVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * MySQL with the modern syntax only (8.4 LTS and 9.x): {@code CHANGE REPLICATION SOURCE TO},
 * {@code START/STOP/RESET REPLICA}, {@code SHOW REPLICAS}, {@code SHOW BINARY LOG STATUS}, renamed variables.
 * {@link MySql80Dialect} overrides the capability methods for older 8.0 releases.
 */
public class MySqlDialect extends CommonDialect {

    protected final ServerVersion version;

    public MySqlDialect(ServerVersion version) {
        if (!version.isMySql()) {
            throw new IllegalArgumentException(version + " is not MySQL");
        }
        this.version = version;
    }

    // ---- capabilities (exact version, overridden for 8.0) ------------------------------------------

    /** SHOW REPLICA STATUS, START/STOP/RESET REPLICA, SHOW REPLICAS (MySQL 8.0.22+). */
    protected boolean hasReplicaVerbs() {
        return true;
    }

    /** CHANGE REPLICATION SOURCE TO with SOURCE_* options (MySQL 8.0.23+). */
    protected boolean hasChangeReplicationSource() {
        return true;
    }

    /** log_replica_updates and friends (MySQL 8.0.26+). */
    protected boolean hasRenamedVariables() {
        return true;
    }

    /** SHOW BINARY LOG STATUS (MySQL 8.2+); SHOW MASTER STATUS is gone in 8.4. */
    protected boolean hasBinaryLogStatus() {
        return version.atLeast(8, 2, 0);
    }

    @Override
    public ServerVersion version() {
        return version;
    }

    @Override
    public String describe() {
        return "MySQL " + (version.major() == 8 && version.minor() == 0 ? "8.0" : "8.4+/9.x") + " (" + version.major()
                + "." + version.minor() + "." + version.patch() + ")";
    }

    // ---- reading state -----------------------------------------------------------------------------

    @Override
    public Sql variablesQuery() {
        String logReplicaUpdates = hasRenamedVariables() ? "@@log_replica_updates" : "@@log_slave_updates";
        return Sql.of("SELECT @@version AS version, @@version_comment AS version_comment, @@server_id AS server_id, "
                + "@@server_uuid AS server_uuid, @@read_only AS read_only, @@super_read_only AS super_read_only, "
                + "@@gtid_mode AS gtid_mode, @@enforce_gtid_consistency AS enforce_gtid_consistency, "
                + "@@gtid_executed AS gtid_executed, @@log_bin AS log_bin, " + logReplicaUpdates
                + " AS log_replica_updates, @@binlog_format AS binlog_format, @@report_host AS report_host, "
                + "@@report_port AS report_port");
    }

    @Override
    public ServerVariables parseVariables(Row row) {
        GtidSet executed = GtidSet.parse(row.get("gtid_executed"));
        return new ServerVariables(
                ServerVersion.parse(row.get("version"), row.get("version_comment")),
                row.getLong(0, "server_id"),
                row.get("server_uuid"),
                ReadOnlyState.of(row.getFlag("read_only"), row.getFlag("super_read_only")),
                new ReplicationSettings(row.getFlag("log_bin"), row.getOrEmpty("binlog_format"),
                        row.getFlag("log_replica_updates"), row.getOrEmpty("gtid_mode"),
                        row.getFlag("enforce_gtid_consistency"), false),
                executed,
                executed,
                null,
                ServerVariables.reported(row.get("report_host"), row.getLong(0, "report_port")));
    }

    @Override
    public Sql replicaStatusQuery() {
        return Sql.of(hasReplicaVerbs() ? "SHOW REPLICA STATUS" : "SHOW SLAVE STATUS");
    }

    @Override
    public List<ReplicaStatus> parseReplicaStatus(List<Row> rows, GtidPosition replicaApplied) {
        return ReplicaStatusParser.parse(Flavor.MYSQL, rows, replicaApplied);
    }

    @Override
    public Sql connectedReplicasQuery() {
        return Sql.of(hasReplicaVerbs() ? "SHOW REPLICAS" : "SHOW SLAVE HOSTS");
    }

    @Override
    public List<ConnectedReplica> parseConnectedReplicas(List<Row> rows) {
        List<ConnectedReplica> out = new ArrayList<>();
        for (Row r : rows) {
            out.add(new ConnectedReplica(r.getLong(0, "Server_Id", "Server_id"), r.getOrEmpty("Host"),
                    (int) r.getLong(0, "Port"), r.get("Replica_UUID", "Slave_UUID")));
        }
        return List.copyOf(out);
    }

    @Override
    public Optional<Sql> receiverStatusQuery() {
        return Optional.of(Sql.of("SELECT s.CHANNEL_NAME AS channel, s.COUNT_RECEIVED_HEARTBEATS AS heartbeats, "
                + "IF(s.LAST_HEARTBEAT_TIMESTAMP > '1971-01-01', "
                + "TIMESTAMPDIFF(MICROSECOND, s.LAST_HEARTBEAT_TIMESTAMP, NOW(6)), NULL) AS us_since_heartbeat, "
                + "IF(s.LAST_QUEUED_TRANSACTION_END_QUEUE_TIMESTAMP > '1971-01-01', "
                + "TIMESTAMPDIFF(MICROSECOND, s.LAST_QUEUED_TRANSACTION_END_QUEUE_TIMESTAMP, NOW(6)), NULL) AS us_since_queued, "
                + "c.HEARTBEAT_INTERVAL AS heartbeat_interval, s.QUEUEING_TRANSACTION AS queueing "
                + "FROM performance_schema.replication_connection_status s "
                + "LEFT JOIN performance_schema.replication_connection_configuration c ON c.CHANNEL_NAME = s.CHANNEL_NAME"));
    }

    @Override
    public Map<String, ReceiverStatus> parseReceiverStatus(List<Row> rows) {
        Map<String, ReceiverStatus> out = new HashMap<>();
        for (Row r : rows) {
            String interval = r.get("heartbeat_interval");
            out.put(r.getOrEmpty("channel"), new ReceiverStatus(
                    ReplicaStatusParser.micros(r.getLongOrNull("us_since_heartbeat")),
                    ReplicaStatusParser.micros(r.getLongOrNull("us_since_queued")),
                    r.getLong(-1, "heartbeats"),
                    interval == null ? null : ReplicaStatusParser.secondsToDuration(interval),
                    r.get("queueing")));
        }
        return out;
    }

    @Override
    public Sql heartbeatReadQuery(Duration bound) {
        return Sql.of(heartbeatReadQuery().text().replaceFirst("^SELECT ", "SELECT /*+ MAX_EXECUTION_TIME("
                + Math.max(1, bound.toMillis()) + ") */ "));
    }

    @Override
    public Sql binlogStatusQuery() {
        return Sql.of(hasBinaryLogStatus() ? "SHOW BINARY LOG STATUS" : "SHOW MASTER STATUS");
    }

    // ---- changing state ----------------------------------------------------------------------------

    @Override
    public Sql changeSource(ChangeSourceSpec spec) {
        String p = hasChangeReplicationSource() ? "SOURCE_" : "MASTER_";
        String head = hasChangeReplicationSource() ? "CHANGE REPLICATION SOURCE TO " : "CHANGE MASTER TO ";
        String publicKey = hasChangeReplicationSource() ? "GET_SOURCE_PUBLIC_KEY = 1" : "GET_MASTER_PUBLIC_KEY = 1";
        String before = head + p + "HOST = " + SqlLiteral.quote(spec.source().host())
                + ", " + p + "PORT = " + spec.source().port()
                + ", " + p + "USER = " + SqlLiteral.quote(spec.user())
                + ", " + p + "PASSWORD = ";
        String after = ", " + p + "AUTO_POSITION = 1"
                + ", " + p + "HEARTBEAT_PERIOD = " + SqlLiteral.seconds(spec.heartbeatPeriod())
                + ", " + p + "CONNECT_RETRY = " + spec.connectRetry()
                + ", " + p + "RETRY_COUNT = " + spec.retryCount()
                + ", " + publicKey + (spec.channel() == null ? "" : forChannel(spec.channel()));
        return new Sql(before + SqlLiteral.quote(spec.password()) + after, before + "'<masked>'" + after);
    }

    @Override
    public Sql startReplica() {
        return Sql.of(hasReplicaVerbs() ? "START REPLICA" : "START SLAVE");
    }

    @Override
    public java.util.Optional<Sql> blockedAppliersQuery(String channel, int channels) {
        String ch = SqlLiteral.quote(channel == null ? "" : channel);
        return java.util.Optional.of(Sql.of("SELECT t.PROCESSLIST_ID AS id, t.PROCESSLIST_STATE AS state FROM "
                + "performance_schema.threads t WHERE t.THREAD_ID IN (SELECT THREAD_ID FROM "
                + "performance_schema.replication_applier_status_by_worker WHERE CHANNEL_NAME = " + ch + " UNION "
                + "SELECT THREAD_ID FROM performance_schema.replication_applier_status_by_coordinator WHERE "
                + "CHANNEL_NAME = " + ch + ") AND t.PROCESSLIST_ID IS NOT NULL AND (t.PROCESSLIST_STATE LIKE "
                + "'Waiting for%lock%' OR t.PROCESSLIST_ID IN (SELECT trx_mysql_thread_id FROM "
                + "information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT'))"));
    }

    @Override
    public java.util.Optional<Sql> appliersInsideATransactionQuery(String channel) {
        String ch = SqlLiteral.quote(channel == null ? "" : channel);
        return java.util.Optional.of(Sql.of("SELECT t.PROCESSLIST_ID AS id, t.PROCESSLIST_STATE AS state FROM "
                + "performance_schema.threads t WHERE t.THREAD_ID IN (SELECT THREAD_ID FROM "
                + "performance_schema.replication_applier_status_by_worker WHERE CHANNEL_NAME = " + ch
                + " AND APPLYING_TRANSACTION <> '' UNION SELECT THREAD_ID FROM "
                + "performance_schema.replication_applier_status_by_coordinator WHERE CHANNEL_NAME = " + ch
                + " AND PROCESSING_TRANSACTION <> '') AND t.PROCESSLIST_ID IS NOT NULL"));
    }

    @Override
    public Sql readOnlyOriginQuery() {
        return Sql.of("SELECT VARIABLE_SOURCE AS origin FROM performance_schema.variables_info WHERE VARIABLE_NAME = "
                + "'read_only'");
    }

    /** COMPILED (the default) or DYNAMIC (SET at run time) are not the startup configuration; the option files are. */
    @Override
    public boolean fromConfiguration(String origin) {
        return origin != null && !origin.equals("COMPILED") && !origin.equals("DYNAMIC");
    }

    static String forChannel(String channel) {
        return " FOR CHANNEL " + SqlLiteral.quote(channel == null ? "" : channel);
    }

    @Override
    public Sql stopReplica(String channel) {
        return Sql.of(stopReplica().text() + forChannel(channel));
    }

    @Override
    public Sql startReplica(String channel) {
        return Sql.of(startReplica().text() + forChannel(channel));
    }

    @Override
    public Sql stopReplicaIoThread(String channel) {
        return Sql.of(stopReplicaIoThread().text() + forChannel(channel));
    }

    @Override
    public Sql startReplicaIoThread(String channel) {
        return Sql.of(startReplicaIoThread().text() + forChannel(channel));
    }

    @Override
    public Sql startReplicaSqlThread(String channel) {
        return Sql.of(startReplicaSqlThread().text() + forChannel(channel));
    }

    @Override
    public Sql stopReplicaSqlThread(String channel) {
        return Sql.of(stopReplicaSqlThread().text() + forChannel(channel));
    }

    @Override
    public Sql resetReplicaAll(String channel) {
        return Sql.of(resetReplicaAll().text() + forChannel(channel));
    }

    @Override
    public Sql changeHeartbeatPeriod(String channel, Duration period) {
        return Sql.of((hasChangeReplicationSource() ? "CHANGE REPLICATION SOURCE TO SOURCE_" : "CHANGE MASTER TO MASTER_")
                + "HEARTBEAT_PERIOD = " + SqlLiteral.seconds(period) + forChannel(channel));
    }

    @Override
    public boolean heartbeatChangeStopsSqlThread() {
        return false;
    }

    @Override
    public Sql stopReplica() {
        return Sql.of(hasReplicaVerbs() ? "STOP REPLICA" : "STOP SLAVE");
    }

    @Override
    public Optional<Sql> alignReplicaPosition() {
        return Optional.empty();
    }

    @Override
    public Sql resetReplicaAll() {
        return Sql.of(hasReplicaVerbs() ? "RESET REPLICA ALL" : "RESET SLAVE ALL");
    }

    @Override
    public List<Sql> setReadOnly(ReadOnlyState target) {
        return switch (target) {
            case SUPER_READ_ONLY -> List.of(Sql.of("SET GLOBAL super_read_only = ON"));
            case READ_ONLY -> List.of(Sql.of("SET GLOBAL super_read_only = OFF"), Sql.of("SET GLOBAL read_only = ON"));
            case WRITABLE -> List.of(Sql.of("SET GLOBAL read_only = OFF"));
        };
    }

    @Override
    public Sql waitForExecuted(GtidPosition position, Duration timeout) {
        if (!(position instanceof GtidSet)) {
            throw new IllegalArgumentException("MySQL waits for a GTID set, not " + position);
        }
        return Sql.of("SELECT WAIT_FOR_EXECUTED_GTID_SET(" + SqlLiteral.quote(position.toString()) + ", "
                + SqlLiteral.seconds(timeout) + ")");
    }

}
