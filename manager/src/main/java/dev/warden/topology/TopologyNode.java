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
 */
public record TopologyNode(InstanceKey key, Role role, InstanceKey source, List<InstanceKey> replicas,
                           boolean configured, InstanceSnapshot snapshot, ReplicationLag lag) {

    public TopologyNode {
        replicas = List.copyOf(replicas);
        lag = lag == null ? ReplicationLag.UNKNOWN : lag;
    }
}
