package dev.warden.model;

/**
 * A replica as its source sees it: a row of {@code SHOW REPLICAS}/{@code SHOW SLAVE HOSTS}
 * (host and port as the replica reports them with {@code report_host}/{@code report_port}; port 0 or an
 * empty host when it does not).
 */
public record ConnectedReplica(long serverId, String host, int port, String replicaUuid) {

    /** The reported address, or null when the replica does not report a usable one. */
    public InstanceKey keyOrNull() {
        if (host == null || host.isBlank() || port <= 0 || port > 65535) {
            return null;
        }
        return new InstanceKey(host, port);
    }
}
