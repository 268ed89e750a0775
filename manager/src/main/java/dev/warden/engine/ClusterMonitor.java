package dev.warden.engine;

import dev.warden.config.ClusterConfig;
import dev.warden.config.ProbeSettings;
import dev.warden.model.ClusterSnapshot;
import dev.warden.model.InstanceKey;
import dev.warden.model.InstanceSnapshot;
import dev.warden.probe.ClusterProber;
import dev.warden.topology.ClusterSummary;
import dev.warden.topology.DiscoveryReport;
import dev.warden.topology.HeartbeatLog;
import dev.warden.topology.Topology;
import dev.warden.topology.TopologyNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches one cluster: each cycle writes the heartbeat on the primary, probes every known server, derives the
 * topology, follows replication links to servers not in the configuration, and says in one sentence how the
 * cluster is. Not thread-safe: one cycle at a time, from one thread; {@link #latest()} may be read anywhere.
 */
public final class ClusterMonitor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClusterMonitor.class);
    private static final int MAX_SERVERS = 256;
    /** The first cycle runs in a cold JVM (driver and TLS classes load on the first connect). */
    static final java.time.Duration FIRST_CYCLE_TIMEOUT = java.time.Duration.ofSeconds(5);

    private final ClusterConfig config;
    private final ProbeSettings probe;
    private final ClusterProber prober;
    private final Set<InstanceKey> watched = new LinkedHashSet<>();
    private HeartbeatLog heartbeats = HeartbeatLog.empty(0);
    private volatile Cycle latest;

    /** The result of one cycle. */
    public record Cycle(long number, ClusterSnapshot snapshot, Topology topology, String sentence) {
    }

    public ClusterMonitor(ClusterConfig config, ProbeSettings probe, ClusterProber prober) {
        this.config = config;
        this.probe = probe;
        this.prober = prober;
        watched.addAll(config.keys());
    }

    public String name() {
        return config.name();
    }

    public ClusterConfig config() {
        return config;
    }

    public Optional<Cycle> latest() {
        return Optional.ofNullable(latest);
    }

    public Cycle cycle() {
        Cycle previous = latest;
        ClusterProber.HeartbeatTarget target = null;
        if (probe.writeHeartbeat() && previous != null) {
            Optional<TopologyNode> t = previous.topology().heartbeatTarget();
            if (t.isPresent()) {
                target = new ClusterProber.HeartbeatTarget(t.get().key(), t.get().snapshot().state().serverId());
            }
        }
        ClusterSnapshot snapshot = previous == null
                ? prober.probe(config.name(), List.copyOf(watched), null, FIRST_CYCLE_TIMEOUT)
                : prober.probe(config.name(), List.copyOf(watched), target);
        if (target != null) {
            InstanceSnapshot written = snapshot.get(target.key()).orElse(null);
            if (written != null) {
                heartbeats = heartbeats.with(written.heartbeatWrite());
            }
        }
        Topology topology = Topology.of(snapshot, config.keys(), heartbeats,
                previous == null ? null : previous.topology());
        follow(snapshot);
        String sentence = ClusterSummary.sentence(topology);
        Cycle c = new Cycle(previous == null ? 1 : previous.number() + 1, snapshot, topology, sentence);
        latest = c;
        log.info(sentence);
        return c;
    }

    /** Adds servers named by replication links that are not watched yet; they are probed from the next cycle. */
    private void follow(ClusterSnapshot snapshot) {
        List<InstanceKey> found = new ArrayList<>();
        for (InstanceSnapshot s : snapshot.all()) {
            for (InstanceKey n : DiscoveryReport.neighbours(s)) {
                if (!watched.contains(n) && watched.size() + found.size() < MAX_SERVERS && !found.contains(n)) {
                    found.add(n);
                }
            }
        }
        for (InstanceKey k : found) {
            log.warn("Cluster {}: found {} through replication links; it is not in the configuration, watching it "
                    + "too (add it to clusters.{}.servers to set its promotion rule).", config.name(), k, config.name());
            watched.add(k);
        }
    }

    @Override
    public void close() {
        prober.close();
    }
}
