package dev.warden.config;

import dev.warden.model.InstanceKey;
import java.time.Duration;
import java.util.Map;

/**
 * HAProxy kept in step with one cluster through its runtime API.
 *
 * @param socket          a unix socket path, or host:port for {@code stats socket ipv4@...}
 * @param writerBackend   backend whose only ready server is the primary
 * @param readerBackend   backend of healthy replicas under {@code maxLag}; null for none
 * @param weights         per-server weight in the reader backend (default 100)
 */
public record HaproxyConfig(String cluster, String socket, String writerBackend, String readerBackend,
                            Duration maxLag, Map<InstanceKey, Integer> weights) {

    public HaproxyConfig {
        weights = Map.copyOf(weights);
    }

    public int weight(InstanceKey key) {
        return weights.getOrDefault(key, 100);
    }
}
