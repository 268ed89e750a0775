package dev.warden.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one successful probe read from a server.
 *
 * @param gtidExecuted      MySQL {@code gtid_executed}; MariaDB {@code gtid_current_pos}
 * @param binlogState       MariaDB {@code gtid_binlog_state} (who originated what); empty for MySQL
 * @param replication       one entry per replication channel; empty when the server replicates from nobody
 * @param connectedReplicas replicas registered with this server as their source
 * @param problems          what could not be read and why (a missing grant, say); empty when everything was read
 * @param reportedAddress   {@code report_host:report_port}: where its replicas reach it; null when it reports none
 * @param term              its row of {@code warden.term} for the cluster; null when it has none or it was not read
 */
public record ServerState(
        ServerVersion version,
        long serverId,
        String serverUuid,
        ReadOnlyState readOnly,
        ReplicationSettings settings,
        GtidPosition gtidExecuted,
        MariaDbBinlogState binlogState,
        List<ReplicaStatus> replication,
        List<ConnectedReplica> connectedReplicas,
        SemiSyncState semiSync,
        HeartbeatObservation heartbeat,
        List<String> problems,
        InstanceKey reportedAddress,
        java.time.Duration readOnlySinceStart,
        Term term) {

    public ServerState(ServerVersion version, long serverId, String serverUuid, ReadOnlyState readOnly,
                       ReplicationSettings settings, GtidPosition gtidExecuted, MariaDbBinlogState binlogState,
                       List<ReplicaStatus> replication, List<ConnectedReplica> connectedReplicas,
                       SemiSyncState semiSync, HeartbeatObservation heartbeat, List<String> problems,
                       InstanceKey reportedAddress, java.time.Duration readOnlySinceStart) {
        this(version, serverId, serverUuid, readOnly, settings, gtidExecuted, binlogState, replication,
                connectedReplicas, semiSync, heartbeat, problems, reportedAddress, readOnlySinceStart, null);
    }

    /**
     * Without {@code readOnlySinceStart}: how long the server has been up when it is read-only by its startup
     * configuration, unchanged since (a primary started again, read-only by its my.cnf); null otherwise or unknown.
     */
    public ServerState(ServerVersion version, long serverId, String serverUuid, ReadOnlyState readOnly,
                       ReplicationSettings settings, GtidPosition gtidExecuted, MariaDbBinlogState binlogState,
                       List<ReplicaStatus> replication, List<ConnectedReplica> connectedReplicas,
                       SemiSyncState semiSync, HeartbeatObservation heartbeat, List<String> problems,
                       InstanceKey reportedAddress) {
        this(version, serverId, serverUuid, readOnly, settings, gtidExecuted, binlogState, replication,
                connectedReplicas, semiSync, heartbeat, problems, reportedAddress, null, null);
    }

    public ServerState {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(readOnly, "readOnly");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(gtidExecuted, "gtidExecuted");
        binlogState = binlogState == null ? MariaDbBinlogState.EMPTY : binlogState;
        replication = List.copyOf(replication);
        connectedReplicas = List.copyOf(connectedReplicas);
        semiSync = semiSync == null ? SemiSyncState.NOT_AVAILABLE : semiSync;
        heartbeat = heartbeat == null ? HeartbeatObservation.unavailable("not read") : heartbeat;
        problems = List.copyOf(problems);
    }

    public Flavor flavor() {
        return version.flavor();
    }

    /** The epoch its {@code warden.term} row carries; 0 when it has none. */
    public long termEpoch() {
        return term == null ? 0 : term.epoch();
    }

    public boolean isReplica() {
        return !replication.isEmpty();
    }

    /** The default (or only) replication channel. */
    public Optional<ReplicaStatus> mainChannel() {
        return replication.stream().filter(r -> r.channel().isEmpty()).findFirst()
                .or(() -> replication.stream().findFirst());
    }
}
