package dev.warden.dialect;

import dev.warden.model.ConnectedReplica;
import dev.warden.model.GtidPosition;
import dev.warden.model.ReadOnlyState;
import dev.warden.model.ReceiverStatus;
import dev.warden.model.ReplicaStatus;
import dev.warden.model.SemiSyncState;
import dev.warden.model.ServerVersion;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything that differs between server flavors and versions: the statements to send and how to read
 * their rows. Builds text and parses rows only; it never talks to a server. Obtain one with
 * {@link Dialects#forVersion(ServerVersion)}; capabilities follow the exact version.
 */
public interface Dialect {

    /** Identifies the server before a dialect is known; the same for every flavor. */
    String VERSION_QUERY = "SELECT @@version AS version, @@version_comment AS version_comment";

    ServerVersion version();

    /** "MySQL 8.0 (8.0.15)", for messages. */
    String describe();

    // ---- reading state -------------------------------------------------------------------------------

    /** One row of global variables; read with {@link #parseVariables(Row)}. */
    Sql variablesQuery();

    ServerVariables parseVariables(Row row);

    Sql replicaStatusQuery();

    /**
     * Parses replica status rows.
     *
     * @param replicaApplied what the server reports as applied when the status rows lack it (MariaDB gtid_slave_pos)
     */
    List<ReplicaStatus> parseReplicaStatus(List<Row> rows, GtidPosition replicaApplied);

    /** Replicas registered with this server ({@code SHOW REPLICAS} / {@code SHOW SLAVE HOSTS}). */
    Sql connectedReplicasQuery();

    List<ConnectedReplica> parseConnectedReplicas(List<Row> rows);

    /** What the receiver last heard, per channel, when the server exposes it in a separate query. */
    Optional<Sql> receiverStatusQuery();

    Map<String, ReceiverStatus> parseReceiverStatus(List<Row> rows);

    Sql semiSyncVariablesQuery();

    Sql semiSyncStatusQuery();

    SemiSyncState parseSemiSync(List<Row> variables, List<Row> status);

    /** The source's current binlog file and position ({@code SHOW BINARY LOG STATUS} / {@code SHOW MASTER STATUS}). */
    Sql binlogStatusQuery();

    // ---- heartbeat -----------------------------------------------------------------------------------

    /** Every heartbeat row plus the server's clock: columns server_id, seq, ts_epoch, now_epoch. */
    Sql heartbeatReadQuery();

    /**
     * The same, ended by the server after {@code bound} (a metadata lock on the heartbeat table then fails the read
     * with an error instead of hanging the probe): MySQL's MAX_EXECUTION_TIME hint, MariaDB's max_statement_time.
     */
    Sql heartbeatReadQuery(Duration bound);

    /**
     * Updates this server's heartbeat row; one bind parameter (the writer's name). The new sequence comes
     * back as the statement's generated key ({@code LAST_INSERT_ID}); 0 means the row was just created (1).
     */
    Sql heartbeatWriteStatement();

    /** The heartbeat write that does nothing on a read-only server (several managers write heartbeats). */
    Sql heartbeatWriteWhileWritableStatement();

    // ---- changing state ------------------------------------------------------------------------------

    Sql changeSource(ChangeSourceSpec spec);

    // ---- one channel ----------------------------------------------------------------------------------
    // A replica may replicate on several channels (MySQL) / connections (MariaDB); Warden touches only the cluster's.
    // On MySQL the statements without a channel act on every channel, so these name it, '' for the default one.

    Sql stopReplica(String channel);

    Sql startReplica(String channel);

    Sql stopReplicaIoThread(String channel);

    Sql startReplicaIoThread(String channel);

    Sql startReplicaSqlThread(String channel);

    Sql stopReplicaSqlThread(String channel);

    /** Forgets one channel's replication configuration. */
    Sql resetReplicaAll(String channel);

    /** Only the source heartbeat period of a channel (MySQL: with its IO thread stopped). */
    Sql changeHeartbeatPeriod(String channel, Duration period);

    /**
     * Whether changing the heartbeat period needs the SQL thread stopped too (MariaDB), or only the IO thread
     * (MySQL).
     */
    boolean heartbeatChangeStopsSqlThread();

    Sql startReplica();

    Sql stopReplica();

    Sql startReplicaIoThread();

    Sql stopReplicaIoThread();

    Sql startReplicaSqlThread();

    Sql stopReplicaSqlThread();

    /**
     * Before a server that replicated from nobody (an old primary) is attached as a replica: make its replication
     * position start from what it has itself written. MariaDB: gtid_slave_pos := gtid_current_pos; MySQL: none
     * (auto-positioning uses gtid_executed).
     */
    java.util.Optional<Sql> alignReplicaPosition();

    /** Forgets all replication configuration (the server stops being a replica). */
    Sql resetReplicaAll();

    /** The statements that bring the server to {@code target}, in order. */
    List<Sql> setReadOnly(ReadOnlyState target);

    /**
     * Blocks until the server has executed {@code position} or {@code timeout} passes; returns one row whose
     * first column is 0 when reached ({@code WAIT_FOR_EXECUTED_GTID_SET} / {@code MASTER_GTID_WAIT}).
     */
    Sql waitForExecuted(GtidPosition position, Duration timeout);

    /** Client sessions other than this one and replication threads: columns id, user, host, command. */
    Sql clientSessionsQuery();

    /** Where the global read_only value comes from (column {@code origin}). */
    Sql readOnlyOriginQuery();

    /** Whether that origin is the server's startup configuration (not a change made at run time). */
    boolean fromConfiguration(String origin);

    /**
     * The replication applier threads of one channel that wait on a lock a session holds (a table or metadata lock,
     * a row lock): {@code id}, {@code state}. Empty when the server cannot tell a channel's threads apart (MariaDB
     * with several connections): then none are named.
     */
    java.util.Optional<Sql> blockedAppliersQuery(String channel, int channels);

    /**
     * The applier threads of one channel that are inside a transaction: {@code id}, {@code state}. With the receiver
     * stopped, a multi-threaded applier can wait for the rest of a transaction the relay log holds only part of, and
     * STOP REPLICA waits with it. Empty where the server cannot tell.
     */
    default java.util.Optional<Sql> appliersInsideATransactionQuery(String channel) {
        return java.util.Optional.empty();
    }

    Sql killConnection(long id);
}
