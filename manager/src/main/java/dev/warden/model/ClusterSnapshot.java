package dev.warden.model;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One probe cycle of a cluster: every server's snapshot, in configuration order. */
public record ClusterSnapshot(String cluster, Instant takenAt, Map<InstanceKey, InstanceSnapshot> instances) {

    public ClusterSnapshot {
        instances = Collections.unmodifiableMap(new LinkedHashMap<>(instances));
    }

    public static ClusterSnapshot of(String cluster, Instant takenAt, List<InstanceSnapshot> snapshots) {
        Map<InstanceKey, InstanceSnapshot> m = new LinkedHashMap<>();
        for (InstanceSnapshot s : snapshots) {
            m.put(s.key(), s);
        }
        return new ClusterSnapshot(cluster, takenAt, m);
    }

    public Optional<InstanceSnapshot> get(InstanceKey key) {
        return Optional.ofNullable(instances.get(key));
    }

    public List<InstanceSnapshot> all() {
        return List.copyOf(instances.values());
    }
}
