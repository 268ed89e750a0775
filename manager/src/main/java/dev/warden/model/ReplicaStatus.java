package dev.warden.model;

import java.util.List;
import java.util.Objects;

/**
 * One replication channel of a replica (one row of {@code SHOW REPLICA STATUS}), parsed by column name.
 *
 * @param channel             channel (MySQL) or connection name (MariaDB); "" for the default
 * @param source              the source it is configured to replicate from; null when not configured
 * @param sourceUuid          MySQL {@code Source_UUID}; null for MariaDB or before first connect
 * @param sourceServerId      {@code Source_Server_Id}, 0 when unknown
 * @param secondsBehindSource {@code Seconds_Behind_Source}; null when the server reports NULL
 * @param retrieved           received position (MySQL {@code Retrieved_Gtid_Set}, MariaDB {@code Gtid_IO_Pos})
 * @param executed            applied position (MySQL {@code Executed_Gtid_Set}, MariaDB {@code gtid_slave_pos})
 * @param autoPosition        GTID auto-positioning (MySQL {@code Auto_Position=1}, MariaDB {@code Using_Gtid=Slave_Pos})
 * @param receivedCoordinates how far the IO thread read the source's binlog
 * @param executedCoordinates how far the SQL thread applied it
 * @param filters             replication filters in force on the channel, as "Replicate_Ignore_DB=x"; empty when none
 */
public record ReplicaStatus(
        String channel,
        InstanceKey source,
        String sourceUuid,
        long sourceServerId,
        ThreadState ioThread,
        ThreadState sqlThread,
        String ioState,
        ReplicationError ioError,
        ReplicationError sqlError,
        Long secondsBehindSource,
        GtidPosition retrieved,
        GtidPosition executed,
        boolean autoPosition,
        long sqlDelaySeconds,
        BinlogCoordinates receivedCoordinates,
        BinlogCoordinates executedCoordinates,
        ReceiverStatus receiver,
        List<String> filters) {

    public ReplicaStatus {
        channel = channel == null ? "" : channel;
        Objects.requireNonNull(ioThread, "ioThread");
        Objects.requireNonNull(sqlThread, "sqlThread");
        Objects.requireNonNull(retrieved, "retrieved");
        Objects.requireNonNull(executed, "executed");
        receiver = receiver == null ? ReceiverStatus.UNKNOWN : receiver;
        filters = filters == null ? List.of() : List.copyOf(filters);
    }

    public boolean bothThreadsRunning() {
        return ioThread == ThreadState.RUNNING && sqlThread == ThreadState.RUNNING;
    }

    /**
     * What the receiver got completely: {@code retrieved} without a transaction it was cut off in the middle of.
     * MySQL lists a transaction as retrieved only once it is completely queued, and MariaDB's Gtid_IO_Pos holds
     * complete event groups only (both checked on the servers); the subtraction guards against a server that does
     * otherwise.
     */
    public GtidPosition receivedComplete() {
        GtidPosition p = partial();
        return p instanceof GtidSet cut && retrieved instanceof GtidSet set ? set.subtract(cut) : retrieved;
    }

    /**
     * The transaction cut short in transfer: MySQL's receiver, disconnected, still names the transaction it was
     * queueing (QUEUEING_TRANSACTION) when it never got all of it (it is not executed); it can never be applied from
     * this relay log. Null when none (or unknown, as on MariaDB).
     */
    public GtidPosition partial() {
        if (receiver.queueing() == null || ioThread == ThreadState.RUNNING || !(executed instanceof GtidSet done)) {
            return null;
        }
        try {
            GtidSet q = GtidSet.parse(receiver.queueing());
            return done.contains(q) ? null : q;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * MariaDB (GTID mode) throws a replica's relay log away when replication starts again after both threads were
     * stopped (checked on 10.11 and 11.8): what it received but did not apply is then out of reach, and only what it
     * executed counts.
     */
    public boolean relayLogAtRisk() {
        return ioThread == ThreadState.STOPPED && sqlThread != ThreadState.RUNNING
                && retrieved instanceof MariaDbGtidPosition;
    }

    /** The SQL thread stopped on an error (a broken replica, not a stopped one). */
    public boolean sqlBroken() {
        return sqlThread != ThreadState.RUNNING && sqlError != null && sqlError.errno() != 0;
    }

    public ReplicaStatus withReceiver(ReceiverStatus r) {
        return new ReplicaStatus(channel, source, sourceUuid, sourceServerId, ioThread, sqlThread, ioState, ioError,
                sqlError, secondsBehindSource, retrieved, executed, autoPosition, sqlDelaySeconds, receivedCoordinates,
                executedCoordinates, r, filters);
    }

    public ReplicaStatus withExecuted(GtidPosition e) {
        return new ReplicaStatus(channel, source, sourceUuid, sourceServerId, ioThread, sqlThread, ioState, ioError,
                sqlError, secondsBehindSource, retrieved, e, autoPosition, sqlDelaySeconds, receivedCoordinates,
                executedCoordinates, receiver, filters);
    }
}
