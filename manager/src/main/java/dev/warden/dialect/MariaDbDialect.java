package dev.warden.dialect;

import dev.warden.model.ConnectedReplica;
import dev.warden.model.Flavor;
import dev.warden.model.GtidPosition;
import dev.warden.model.MariaDbBinlogState;
import dev.warden.model.MariaDbGtidPosition;
import dev.warden.model.ReadOnlyState;
import dev.warden.model.ReceiverStatus;
import dev.warden.model.ReplicaStatus;
import dev.warden.model.ReplicationSettings;
import dev.warden.model.ServerVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * MariaDB 10.5+ and 11.x: {@code CHANGE MASTER TO ... MASTER_USE_GTID = slave_pos} (there is no CHANGE
 * REPLICATION SOURCE), REPLICA verbs, per-domain GTID positions, {@code MASTER_GTID_WAIT}, and only
 * {@code read_only} (no super_read_only). Status columns keep their old {@code Slave_*}/{@code Master_*} names.
 */
public final class MariaDbDialect extends CommonDialect {

    private final ServerVersion version;

    public MariaDbDialect(ServerVersion version) {
        if (!version.isMariaDb()) {
            throw new IllegalArgumentException(version + " is not MariaDB");
        }
        this.version = version;
    }

    @Override
    public ServerVersion version() {
        return version;
    }

    @Override
    public String describe() {
        return "MariaDB 10.5+/11.x (" + version.major() + "." + version.minor() + "." + version.patch() + ")";
    }

    @Override
    public Sql variablesQuery() {
        return Sql.of("SELECT @@version AS version, @@version_comment AS version_comment, @@server_id AS server_id, "
                + "@@read_only AS read_only, @@gtid_current_pos AS gtid_executed, @@gtid_slave_pos AS gtid_slave_pos, "
                + "@@gtid_binlog_state AS gtid_binlog_state, @@gtid_strict_mode AS gtid_strict_mode, @@log_bin AS log_bin, "
                + "@@log_slave_updates AS log_replica_updates, @@binlog_format AS binlog_format, "
                + "@@report_host AS report_host, IF(@@report_port > 0, @@report_port, @@port) AS report_port");
    }

    @Override
    public ServerVariables parseVariables(Row row) {
        String ro = row.getOrEmpty("read_only").trim().toUpperCase(Locale.ROOT);
        // read_only may become an enum in newer releases; anything but OFF/0 means writes are restricted.
        boolean readOnly = !(ro.equals("OFF") || ro.equals("0") || ro.isEmpty());
        return new ServerVariables(
                ServerVersion.parse(row.get("version"), row.get("version_comment")),
                row.getLong(0, "server_id"),
                null,
                ReadOnlyState.of(readOnly, false),
                new ReplicationSettings(row.getFlag("log_bin"), row.getOrEmpty("binlog_format"),
                        row.getFlag("log_replica_updates"), "n/a", true, row.getFlag("gtid_strict_mode")),
                MariaDbGtidPosition.parse(row.get("gtid_executed")),
                MariaDbGtidPosition.parse(row.get("gtid_slave_pos")),
                MariaDbBinlogState.parse(row.get("gtid_binlog_state")),
                ServerVariables.reported(row.get("report_host"), row.getLong(0, "report_port")));
    }

    @Override
    public Sql replicaStatusQuery() {
        return Sql.of("SHOW ALL REPLICAS STATUS");
    }

    @Override
    public List<ReplicaStatus> parseReplicaStatus(List<Row> rows, GtidPosition replicaApplied) {
        return ReplicaStatusParser.parse(Flavor.MARIADB, rows, replicaApplied);
    }

    @Override
    public Sql connectedReplicasQuery() {
        return Sql.of("SHOW REPLICA HOSTS");
    }

    @Override
    public List<ConnectedReplica> parseConnectedReplicas(List<Row> rows) {
        List<ConnectedReplica> out = new ArrayList<>();
        for (Row r : rows) {
            out.add(new ConnectedReplica(r.getLong(0, "Server_id"), r.getOrEmpty("Host"), (int) r.getLong(0, "Port"),
                    null));
        }
        return List.copyOf(out);
    }

    @Override
    public Optional<Sql> receiverStatusQuery() {
        // Heartbeat count and period come with SHOW ALL REPLICAS STATUS.
        return Optional.empty();
    }

    @Override
    public Map<String, ReceiverStatus> parseReceiverStatus(List<Row> rows) {
        return Map.of();
    }

    @Override
    public Sql heartbeatReadQuery(Duration bound) {
        return Sql.of("SET STATEMENT max_statement_time = " + SqlLiteral.seconds(bound) + " FOR "
                + heartbeatReadQuery().text());
    }

    @Override
    public Sql binlogStatusQuery() {
        return Sql.of("SHOW BINLOG STATUS");
    }

    /** The connection name after the verb ("STOP SLAVE 'x'"); none for the default connection. */
    @Override
    public java.util.Optional<Sql> blockedAppliersQuery(String channel, int channels) {
        if (channels > 1) {
            return java.util.Optional.empty(); // the processlist does not say which connection a thread serves
        }
        return java.util.Optional.of(Sql.of("SELECT ID AS id, STATE AS state FROM information_schema.PROCESSLIST "
                + "WHERE USER = 'system user' AND (STATE LIKE 'Waiting for%lock%' OR ID IN (SELECT "
                + "trx_mysql_thread_id FROM information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT'))"));
    }

    @Override
    public Sql readOnlyOriginQuery() {
        return Sql.of("SELECT GLOBAL_VALUE_ORIGIN AS origin FROM information_schema.SYSTEM_VARIABLES WHERE "
                + "VARIABLE_NAME = 'READ_ONLY'");
    }

    /** CONFIG (an option file) or COMMAND-LINE; not SQL (SET at run time), COMPILE-TIME or AUTO. */
    @Override
    public boolean fromConfiguration(String origin) {
        return "CONFIG".equals(origin) || "COMMAND-LINE".equals(origin);
    }

    static String named(String channel) {
        return channel == null || channel.isEmpty() ? "" : " " + SqlLiteral.quote(channel);
    }

    @Override
    public Sql stopReplica(String channel) {
        return Sql.of("STOP REPLICA" + named(channel));
    }

    @Override
    public Sql startReplica(String channel) {
        return Sql.of("START REPLICA" + named(channel));
    }

    @Override
    public Sql stopReplicaIoThread(String channel) {
        return Sql.of("STOP REPLICA" + named(channel) + " IO_THREAD");
    }

    @Override
    public Sql startReplicaIoThread(String channel) {
        return Sql.of("START REPLICA" + named(channel) + " IO_THREAD");
    }

    @Override
    public Sql startReplicaSqlThread(String channel) {
        return Sql.of("START REPLICA" + named(channel) + " SQL_THREAD");
    }

    @Override
    public Sql stopReplicaSqlThread(String channel) {
        return Sql.of("STOP REPLICA" + named(channel) + " SQL_THREAD");
    }

    @Override
    public Sql resetReplicaAll(String channel) {
        return Sql.of("RESET REPLICA" + named(channel) + " ALL");
    }

    @Override
    public Sql changeHeartbeatPeriod(String channel, Duration period) {
        return Sql.of("CHANGE MASTER" + named(channel) + " TO MASTER_HEARTBEAT_PERIOD = " + SqlLiteral.seconds(period));
    }

    @Override
    public boolean heartbeatChangeStopsSqlThread() {
        return true;
    }

    @Override
    public Sql changeSource(ChangeSourceSpec spec) {
        String before = "CHANGE MASTER" + named(spec.channel()) + " TO MASTER_HOST = " + SqlLiteral.quote(spec.source().host())
                + ", MASTER_PORT = " + spec.source().port()
                + ", MASTER_USER = " + SqlLiteral.quote(spec.user())
                + ", MASTER_PASSWORD = ";
        String after = ", MASTER_USE_GTID = slave_pos"
                + ", MASTER_HEARTBEAT_PERIOD = " + SqlLiteral.seconds(spec.heartbeatPeriod())
                + ", MASTER_CONNECT_RETRY = " + spec.connectRetry();
        return new Sql(before + SqlLiteral.quote(spec.password()) + after, before + "'<masked>'" + after);
    }

    @Override
    public Sql startReplica() {
        return Sql.of("START REPLICA");
    }

    @Override
    public Sql stopReplica() {
        return Sql.of("STOP REPLICA");
    }

    @Override
    public Optional<Sql> alignReplicaPosition() {
        return Optional.of(Sql.of("SET GLOBAL gtid_slave_pos = @@gtid_current_pos"));
    }

    @Override
    public Sql resetReplicaAll() {
        return Sql.of("RESET REPLICA ALL");
    }

    @Override
    public List<Sql> setReadOnly(ReadOnlyState target) {
        return List.of(Sql.of(target.writable() ? "SET GLOBAL read_only = OFF" : "SET GLOBAL read_only = ON"));
    }

    @Override
    public Sql waitForExecuted(GtidPosition position, Duration timeout) {
        if (!(position instanceof MariaDbGtidPosition)) {
            throw new IllegalArgumentException("MariaDB waits for a GTID position, not " + position);
        }
        return Sql.of("SELECT MASTER_GTID_WAIT(" + SqlLiteral.quote(position.toString()) + ", "
                + SqlLiteral.seconds(timeout) + ")");
    }

}
