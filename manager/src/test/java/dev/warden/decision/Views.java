package dev.warden.decision;

import dev.warden.config.FailoverPolicy;
import dev.warden.config.ServerConfig;
import dev.warden.model.ClusterSnapshot;
import dev.warden.model.InstanceKey;
import dev.warden.model.PromotionRule;
import dev.warden.topology.Topology;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds a {@link ClusterView} from consecutive snapshots, as the engine would have seen them. */
final class Views {

    static final FailoverPolicy POLICY = FailoverPolicy.defaults(Duration.ofMillis(500));

    private final Map<InstanceKey, ServerConfig> configured = new HashMap<>();
    private ClusterControls controls = ClusterControls.NONE;
    private FailoverPolicy policy = POLICY;
    private ManagerPeers managers = ManagerPeers.ALONE;

    Views rule(String address, PromotionRule rule, int priority) {
        InstanceKey k = InstanceKey.parse(address);
        configured.put(k, new ServerConfig(k, rule, priority, null));
        return this;
    }

    Views controls(ClusterControls c) {
        controls = c;
        return this;
    }

    /** Several managers a, b, c: this one (a) leads the cluster at {@code epoch}. */
    Views ledAt(long epoch) {
        managers = new ManagerPeers("a", List.of("a", "b", "c"), new Leadership(true, epoch, "a", null), Map.of(),
                Duration.ofSeconds(2));
        return this;
    }

    Views policy(FailoverPolicy p) {
        policy = p;
        return this;
    }

    ClusterView of(ClusterSnapshot... cycles) {
        ClusterHistory history = ClusterHistory.EMPTY;
        Topology topology = null;
        for (ClusterSnapshot s : cycles) {
            history = history.next(s);
            List<InstanceKey> keys = s.all().stream().map(x -> x.key()).toList();
            topology = Topology.of(s, keys, null, topology);
        }
        return new ClusterView(topology, history, controls, policy, configured, null, null, managers);
    }

    static Instant at(long ms) {
        return dev.warden.testing.Snapshots.T0.plusMillis(ms);
    }
}
