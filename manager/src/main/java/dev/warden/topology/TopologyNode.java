package dev.warden.topology;

import dev.warden.model.InstanceKey;
import dev.warden.model.InstanceSnapshot;
import java.util.List;

/**
 * One server in the derived tree.
 *
 * @param source     the server it replicates from (its main channel), null for roots or when unknown
 * @param replicas   servers in the snapshot that replicate from it
 * @param configured whether the server is in the configuration (false: discovered)
 * @param lag        lag behind the cluster's primary (replicas only; UNKNOWN otherwise)
 * @param identity   server_id and server_uuid, from this snapshot or the last time the server was reachable
 */
public record TopologyNode(InstanceKey key, Role role, InstanceKey source, List<InstanceKey> replicas,
                           boolean configured, InstanceSnapshot snapshot, ReplicationLag lag, Identity identity) {

    /** Who a server is, independent of the address used to reach it; remembered while it is unreachable. */
    public record Identity(long serverId, String serverUuid) {
        public static final Identity UNKNOWN = new Identity(0, null);

        public boolean known() {
            return serverId != 0 || serverUuid != null;
        }
    }

    public TopologyNode {
        replicas = List.copyOf(replicas);
        lag = lag == null ? ReplicationLag.UNKNOWN : lag;
        identity = identity == null ? Identity.UNKNOWN : identity;
    }
}
