package dev.warden.config;

import dev.warden.model.InstanceKey;
import java.util.List;
import java.util.Optional;

/** One primary/replica cluster: its servers (the seeds of discovery) and the credentials for them. */
public record ClusterConfig(String name, Credentials credentials, List<ServerConfig> servers) {

    public ClusterConfig {
        servers = List.copyOf(servers);
    }

    public List<InstanceKey> keys() {
        return servers.stream().map(ServerConfig::key).toList();
    }

    public Optional<ServerConfig> server(InstanceKey key) {
        return servers.stream().filter(s -> s.key().equals(key)).findFirst();
    }
}
