package dev.warden.cli;

import dev.warden.config.ClusterConfig;
import dev.warden.config.WardenConfig;
import dev.warden.model.ClusterSnapshot;
import dev.warden.model.InstanceSnapshot;
import dev.warden.probe.ClusterProber;
import dev.warden.probe.ConnectionFactory;
import dev.warden.probe.Discovery;
import dev.warden.topology.ClusterSummary;
import dev.warden.topology.DiscoveryReport;
import dev.warden.topology.HeartbeatLog;
import dev.warden.topology.Topology;
import dev.warden.topology.TopologyNode;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

/**
 * What one-shot commands (status, plan) see of a cluster: discovery from the configured servers, then one probe
 * round with a heartbeat write on the primary so replica lag is measured at once.
 */
final class OneShotProbe {

    /** One-shot commands run in a cold JVM; a slow first TLS handshake is not what they report on. */
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    /**
     * @param findings what is wrong, as the daemon's analysis finds it from this one look (no history: a failure the
     *                 daemon would confirm over time shows as waiting for confirmation)
     */
    record Result(ClusterSnapshot snapshot, Topology topology, DiscoveryReport report, String sentence,
                  List<dev.warden.decision.Finding> findings) {
    }

    private OneShotProbe() {
    }

    static Result run(WardenConfig cfg, ClusterConfig c, ExecutorService pool) {
        ConnectionFactory factory = new ConnectionFactory(c.credentials(), cfg.probe().connectTimeout());
        try (ClusterProber prober = new ClusterProber(factory, pool, Clock.systemUTC(), cfg.probe().readTimeout(),
                cfg.probe().writeTimeout(), RunCommand.writerName())) {
            Discovery.Result found = Discovery.discover(prober, c.name(), c.keys(), 256, TIMEOUT);
            ClusterSnapshot snap = found.snapshot();
            Topology t = Topology.of(snap, c.keys(), null);
            // Only on a configured server: discovery may have followed a link to another cluster's primary.
            // Observe mode writes nothing on any server, not even from warden status.
            Optional<TopologyNode> target = cfg.probe().writeHeartbeat() && !cfg.failover().observe()
                    ? t.heartbeatTarget().filter(n -> c.keys().contains(n.key())) : Optional.empty();
            if (target.isPresent()) {
                long id = target.get().snapshot().state().serverId();
                snap = prober.probe(c.name(), List.copyOf(snap.instances().keySet()),
                        new ClusterProber.HeartbeatTarget(target.get().key(), id), TIMEOUT);
                InstanceSnapshot written = snap.get(target.get().key()).orElseThrow();
                t = Topology.of(snap, c.keys(), HeartbeatLog.empty(id).with(written.heartbeatWrite()));
            }
            java.util.Map<dev.warden.model.InstanceKey, dev.warden.config.ServerConfig> configured =
                    new java.util.LinkedHashMap<>();
            c.servers().forEach(s -> configured.put(s.key(), s));
            dev.warden.decision.ClusterView view = new dev.warden.decision.ClusterView(t,
                    dev.warden.decision.ClusterHistory.EMPTY.next(snap), dev.warden.decision.ClusterControls.NONE,
                    cfg.failover(), configured);
            return new Result(snap, t, found.report(), ClusterSummary.sentence(t),
                    dev.warden.decision.Analyzer.analyze(view, java.time.Instant.now()));
        }
    }
}
