package dev.warden.config;

import java.util.List;
import java.util.Optional;

/** The whole validated, frozen configuration. */
public record WardenConfig(String source, ProbeSettings probe, ReplicationSettingsConfig replication,
                           FailoverPolicy failover, HttpSettings http, List<ClusterConfig> clusters) {

    public WardenConfig {
        clusters = List.copyOf(clusters);
    }

    public Optional<ClusterConfig> cluster(String name) {
        return clusters.stream().filter(c -> c.name().equals(name)).findFirst();
    }
}
