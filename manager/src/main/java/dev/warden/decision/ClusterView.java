package dev.warden.decision;

import dev.warden.config.FailoverPolicy;

import dev.warden.config.ServerConfig;
import dev.warden.model.InstanceKey;
import dev.warden.model.PromotionRule;
import dev.warden.topology.Topology;
import java.util.Map;

/**
 * Everything a decision is made from: the derived topology, each server's history, what operators and past
 * operations decided, the policy, and the configured promotion rules. Values only.
 *
 * @param managerProblem why this manager must not act on its own right now (its store lock is lost, say); null when
 *                       nothing stops it
 * @param managers       the other managers (leadership, their observations); {@link ManagerPeers#ALONE} alone
 */
public record ClusterView(Topology topology, ClusterHistory history, ClusterControls controls, FailoverPolicy policy,
                          Map<InstanceKey, ServerConfig> configured, Integrations integrations, String managerProblem,
                          ManagerPeers managers) {

    public ClusterView {
        configured = Map.copyOf(configured);
        integrations = integrations == null ? Integrations.NONE : integrations;
        managers = managers == null ? ManagerPeers.ALONE : managers;
    }

    public ClusterView(Topology topology, ClusterHistory history, ClusterControls controls, FailoverPolicy policy,
                       Map<InstanceKey, ServerConfig> configured, Integrations integrations, String managerProblem) {
        this(topology, history, controls, policy, configured, integrations, managerProblem, ManagerPeers.ALONE);
    }

    /** Why this manager must not act on the cluster now: its store lock is lost, or it does not lead. Null: it may. */
    public String whyNotActing() {
        return managerProblem != null ? managerProblem : managers.leadership().whyNotActing(cluster());
    }

    public ClusterView(Topology topology, ClusterHistory history, ClusterControls controls, FailoverPolicy policy,
                       Map<InstanceKey, ServerConfig> configured, Integrations integrations) {
        this(topology, history, controls, policy, configured, integrations, null, ManagerPeers.ALONE);
    }

    public ClusterView(Topology topology, ClusterHistory history, ClusterControls controls, FailoverPolicy policy,
                       Map<InstanceKey, ServerConfig> configured) {
        this(topology, history, controls, policy, configured, Integrations.NONE, null, ManagerPeers.ALONE);
    }

    public String cluster() {
        return topology.cluster();
    }

    public PromotionRule promotion(InstanceKey key) {
        ServerConfig c = configured.get(key);
        return c == null ? PromotionRule.NEUTRAL : c.promotion();
    }

    public int priority(InstanceKey key) {
        ServerConfig c = configured.get(key);
        return c == null ? 0 : c.priority();
    }

    public boolean inMaintenance(InstanceKey key) {
        return controls.maintenance() || controls.serversInMaintenance().contains(key);
    }
}
