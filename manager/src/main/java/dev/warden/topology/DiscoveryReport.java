package dev.warden.topology;

import dev.warden.model.ClusterSnapshot;
import dev.warden.model.ConnectedReplica;
import dev.warden.model.InstanceKey;
import dev.warden.model.InstanceSnapshot;
import dev.warden.model.ReplicaStatus;
import dev.warden.model.ServerState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What discovery found compared with the configuration. Pure.
 *
 * @param configuredNotFound configured servers that could not be reached
 * @param foundNotConfigured servers found through replication links that are not in the configuration
 * @param notes              other findings worth a DBA's attention (unidentifiable replicas, isolated servers)
 */
public record DiscoveryReport(List<InstanceKey> found, List<InstanceKey> configuredNotFound,
                              List<InstanceKey> foundNotConfigured, List<String> notes) {

    public DiscoveryReport {
        found = List.copyOf(found);
        configuredNotFound = List.copyOf(configuredNotFound);
        foundNotConfigured = List.copyOf(foundNotConfigured);
        notes = List.copyOf(notes);
    }

    /** Servers this snapshot names as sources or registered replicas. */
    public static Set<InstanceKey> neighbours(InstanceSnapshot s) {
        Set<InstanceKey> out = new LinkedHashSet<>();
        if (s.state() == null) {
            return out;
        }
        for (ReplicaStatus r : s.state().replication()) {
            if (r.source() != null) {
                out.add(r.source());
            }
        }
        for (ConnectedReplica c : s.state().connectedReplicas()) {
            InstanceKey k = c.keyOrNull();
            if (k != null) {
                out.add(k);
            }
        }
        return out;
    }

    public static DiscoveryReport of(ClusterSnapshot snapshot, Collection<InstanceKey> configured) {
        List<InstanceKey> found = new ArrayList<>();
        List<InstanceKey> notFound = new ArrayList<>();
        List<InstanceKey> extra = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Set<Long> knownServerIds = new java.util.HashSet<>();
        for (InstanceSnapshot s : snapshot.all()) {
            if (s.reachable()) {
                found.add(s.key());
                knownServerIds.add(s.state().serverId());
            } else if (configured.contains(s.key())) {
                notFound.add(s.key());
            }
            if (!configured.contains(s.key())) {
                extra.add(s.key());
            }
        }
        for (InstanceSnapshot s : snapshot.all()) {
            if (s.state() == null) continue;
            for (ConnectedReplica c : s.state().connectedReplicas()) {
                if (c.keyOrNull() == null && !knownServerIds.contains(c.serverId())) {
                    notes.add(s.key() + " has a replica (server_id " + c.serverId()
                            + ") that does not report its address: set report_host and report_port on it");
                }
            }
        }
        Topology t = Topology.of(snapshot, configured, null);
        t.primary().ifPresent(p -> {
            for (TopologyNode n : t.nodes().values()) {
                if (n.snapshot().reachable() && !connected(t, n.key(), p.key())) {
                    notes.add(n.key() + " is reachable but not connected to primary " + p.key()
                            + " by replication (" + n.role().display() + ")");
                }
            }
        });
        for (InstanceSnapshot s : snapshot.all()) {
            ServerState st = s.state();
            if (st != null && !st.problems().isEmpty()) {
                st.problems().forEach(pr -> notes.add(s.key() + ": " + pr));
            }
        }
        return new DiscoveryReport(found, notFound, extra, notes);
    }

    private static boolean connected(Topology t, InstanceKey from, InstanceKey primary) {
        InstanceKey k = from;
        Set<InstanceKey> seen = new java.util.HashSet<>();
        while (k != null && seen.add(k)) {
            if (k.equals(primary)) return true;
            TopologyNode n = t.nodes().get(k);
            k = n == null ? null : n.source();
        }
        return false;
    }
}
