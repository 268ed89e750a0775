package dev.warden.config;

import java.time.Duration;
import java.util.List;

/**
 * Several managers watching the same clusters, coordinated through ZooKeeper: only the leader of a cluster acts
 * on it, and a verdict that its primary is gone needs a majority of the configured managers. Absent from the
 * configuration, Warden runs alone.
 *
 * @param manager           this manager's name (a site or host label), one of {@code managers}
 * @param managerUrl        where people reach this manager's console, shown by the others; may be null
 * @param connect           the ZooKeeper connect string, {@code host:port[,host:port...]}
 * @param root              the znode under which Warden keeps its state, such as {@code /warden}
 * @param sessionTimeout    after this long without ZooKeeper, a manager's session (and leadership) ends
 * @param connectionTimeout how long one connection attempt may take
 * @param digestAuth        {@code user:password} for ZooKeeper's digest scheme, or null
 * @param managers          every manager's name: the majority is counted on this list, not on who is up
 * @param tls               TLS to ZooKeeper, or null for plain connections
 */
public record CoordinationSettings(String manager, String managerUrl, String connect, String root,
                                   Duration sessionTimeout, Duration connectionTimeout, Secret digestAuth,
                                   List<String> managers, ZkTls tls) {

    /** Plain connections (no TLS). */
    public CoordinationSettings(String manager, String managerUrl, String connect, String root,
                                Duration sessionTimeout, Duration connectionTimeout, Secret digestAuth,
                                List<String> managers) {
        this(manager, managerUrl, connect, root, sessionTimeout, connectionTimeout, digestAuth, managers, null);
    }

    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(4);
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(2);

    public CoordinationSettings {
        managers = List.copyOf(managers);
    }

    public CoordinationSettings withTls(ZkTls t) {
        return new CoordinationSettings(manager, managerUrl, connect, root, sessionTimeout, connectionTimeout,
                digestAuth, managers, t);
    }

    /** How many managers make a majority of the configured ones. */
    public int majority() {
        return managers.size() / 2 + 1;
    }
}
