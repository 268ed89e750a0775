package dev.warden.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Where Warden publishes each cluster's primary for consul-template, confd and the like: Orchestrator's layout,
 * {@code <prefix>/<cluster>} = host:port with {@code /hostname} and {@code /port} under it, in ZooKeeper and/or etcd.
 *
 * @param mode      whether an operation waits for the stores ({@link Mode#GATE}) or goes on without them
 * @param timeout   how long one write or read of one store may take
 * @param zookeeper a ZooKeeper connect string, or null
 * @param etcd      etcd v3 endpoints (http(s)://host:port), empty when none
 * @param etcdUser  the etcd user when etcd has authentication enabled, else null (then {@code etcdPassword} too)
 */
public record KvSettings(String prefix, Mode mode, Duration timeout, String zookeeper, List<URI> etcd,
                         String etcdUser, Secret etcdPassword) {

    public KvSettings(String prefix, Mode mode, Duration timeout, String zookeeper, List<URI> etcd) {
        this(prefix, mode, timeout, zookeeper, etcd, null, null);
    }

    public static final String DEFAULT_PREFIX = "mysql/master";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    public KvSettings {
        etcd = List.copyOf(etcd);
    }

    /** What an operation does when a store cannot be written. */
    public enum Mode {
        /**
         * The stores are written before the promotion: a failover promotes nobody while they cannot be written, and a
         * switchover rolls back.
         */
        GATE,
        /** The stores are written after the promotion; a failure is recorded and repaired by later cycles. */
        BEST_EFFORT;

        public String configName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
