package dev.warden.config;

import java.util.List;
import java.util.Optional;

/**
 * The whole validated, frozen configuration.
 *
 * @param coordination how this manager works with the others; null when it runs alone (the default)
 * @param kv           the stores each cluster's primary is published to; null when none
 * @param logging      the daemon's log format and summary interval
 */
public record WardenConfig(String source, ProbeSettings probe, ReplicationSettingsConfig replication,
                           FailoverPolicy failover, SwitchoverPolicy switchover, List<HookConfig> hooks,
                           List<HaproxyConfig> haproxy, HttpSettings http, AccessConfig access,
                           StoreSettings store, List<ClusterConfig> clusters, CoordinationSettings coordination,
                           KvSettings kv, LogSettings logging) {

    public WardenConfig {
        hooks = List.copyOf(hooks);
        haproxy = List.copyOf(haproxy);
        clusters = List.copyOf(clusters);
    }

    public Optional<HaproxyConfig> haproxy(String cluster) {
        return haproxy.stream().filter(h -> h.cluster().equals(cluster)).findFirst();
    }

    public boolean coordinated() {
        return coordination != null;
    }

    public Optional<ClusterConfig> cluster(String name) {
        return clusters.stream().filter(c -> c.name().equals(name)).findFirst();
    }
}
