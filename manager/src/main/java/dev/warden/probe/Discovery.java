package dev.warden.probe;

import dev.warden.model.ClusterSnapshot;
import dev.warden.model.InstanceKey;
import dev.warden.model.InstanceSnapshot;
import dev.warden.topology.DiscoveryReport;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds a cluster's servers from seeds: probes them, follows each server's source and registered replicas,
 * probes what is new, until nothing new appears (or {@code maxServers} is reached).
 */
public final class Discovery {

    private Discovery() {
    }

    public record Result(ClusterSnapshot snapshot, DiscoveryReport report) {
    }

    public static Result discover(ClusterProber prober, String cluster, Collection<InstanceKey> seeds, int maxServers,
                                  java.time.Duration readTimeout) {
        Map<InstanceKey, InstanceSnapshot> all = new LinkedHashMap<>();
        Set<InstanceKey> pending = new LinkedHashSet<>(seeds);
        java.time.Instant takenAt = null;
        while (!pending.isEmpty() && all.size() < maxServers) {
            List<InstanceKey> batch = new ArrayList<>(pending).subList(0, Math.min(pending.size(), maxServers - all.size()));
            ClusterSnapshot round = prober.probe(cluster, batch, null, readTimeout);
            if (takenAt == null) {
                takenAt = round.takenAt();
            }
            pending.clear();
            for (InstanceSnapshot s : round.all()) {
                all.put(s.key(), s);
            }
            for (InstanceSnapshot s : round.all()) {
                for (InstanceKey n : DiscoveryReport.neighbours(s)) {
                    if (!all.containsKey(n)) {
                        pending.add(n);
                    }
                }
            }
        }
        ClusterSnapshot snapshot = new ClusterSnapshot(cluster, takenAt == null ? java.time.Instant.now() : takenAt, all);
        return new Result(snapshot, DiscoveryReport.of(snapshot, seeds));
    }
}
