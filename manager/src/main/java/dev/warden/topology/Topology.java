package dev.warden.topology;

import dev.warden.model.ClusterSnapshot;
import dev.warden.model.InstanceKey;
import dev.warden.model.InstanceSnapshot;
import dev.warden.model.ReplicaStatus;
import dev.warden.model.ServerState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The replication tree of one cluster, derived from a snapshot: who replicates from whom, each server's role,
 * each replica's lag. Pure: built from values, no I/O.
 */
public record Topology(String cluster, Instant takenAt, Map<InstanceKey, TopologyNode> nodes,
                       Map<InstanceKey, InstanceKey> aliases) {

    public Topology {
        nodes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(nodes));
        aliases = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(aliases));
    }

    /** The node an address stands for: itself, or the node it is an alias of (another address of the same server). */
    public InstanceKey canonical(InstanceKey address) {
        return aliases.getOrDefault(address, address);
    }

    public static Topology of(ClusterSnapshot snapshot, Collection<InstanceKey> configured, HeartbeatLog log) {
        return of(snapshot, configured, log, null);
    }

    /**
     * @param previous the topology of the cycle before, or null: a server that became unreachable keeps the
     *                 source and identity it had there, so a dead replica is still counted (and drawn) as a replica
     */
    public static Topology of(ClusterSnapshot snapshot, Collection<InstanceKey> configured, HeartbeatLog log,
                              Topology previous) {
        Map<InstanceKey, TopologyNode.Identity> identities = new LinkedHashMap<>();
        for (InstanceSnapshot s : snapshot.all()) {
            TopologyNode.Identity id = s.stateIfReachable()
                    .map(st -> new TopologyNode.Identity(st.serverId(), st.serverUuid()))
                    .orElseGet(() -> previous != null && previous.nodes().containsKey(s.key())
                            ? previous.nodes().get(s.key()).identity() : TopologyNode.Identity.UNKNOWN);
            identities.put(s.key(), id);
        }
        Map<InstanceKey, InstanceKey> sourceOf = new LinkedHashMap<>();
        Map<InstanceKey, InstanceKey> aliases = new LinkedHashMap<>();
        Map<InstanceKey, List<InstanceKey>> replicasOf = new LinkedHashMap<>();
        for (InstanceSnapshot s : snapshot.all()) {
            replicasOf.put(s.key(), new ArrayList<>());
        }
        for (InstanceSnapshot s : snapshot.all()) {
            InstanceKey src = null;
            ReplicaStatus main = s.stateIfReachable().flatMap(ServerState::mainChannel).orElse(null);
            if (main != null && main.source() != null) {
                src = resolve(main, identities);
                if (!src.equals(main.source())) {
                    aliases.put(main.source(), src);
                }
            } else if (!s.reachable() && previous != null && previous.nodes().containsKey(s.key())) {
                src = previous.nodes().get(s.key()).source();
            }
            if (src != null) {
                sourceOf.put(s.key(), src);
                if (replicasOf.containsKey(src)) {
                    replicasOf.get(src).add(s.key());
                }
            }
        }
        Set<InstanceKey> configuredSet = Set.copyOf(configured);
        Map<InstanceKey, Role> roles = new LinkedHashMap<>();
        List<InstanceKey> remembered = new ArrayList<>();
        for (InstanceSnapshot s : snapshot.all()) {
            Role before = previous != null && previous.nodes().containsKey(s.key())
                    ? previous.nodes().get(s.key()).role() : null;
            Role r = role(s, sourceOf.get(s.key()), replicasOf.get(s.key()));
            if (r == Role.UNKNOWN && before == Role.PRIMARY) {
                remembered.add(s.key()); // a primary that went silent is still the primary, unless another is
                r = Role.PRIMARY;
            }
            roles.put(s.key(), r);
        }
        boolean otherPrimary = roles.entrySet().stream()
                .anyMatch(e -> e.getValue() == Role.PRIMARY && !remembered.contains(e.getKey()));
        if (otherPrimary) {
            remembered.forEach(k -> roles.put(k, Role.UNKNOWN));
        }
        InstanceKey primary = uniquePrimary(roles);
        long primaryServerId = primary == null ? 0 : snapshot.get(primary).flatMap(InstanceSnapshot::stateIfReachable)
                .map(ServerState::serverId).orElse(0L);

        Map<InstanceKey, TopologyNode> nodes = new LinkedHashMap<>();
        for (InstanceSnapshot s : snapshot.all()) {
            ReplicationLag lag = ReplicationLag.UNKNOWN;
            if (s.state() != null && s.state().isReplica()) {
                ReplicaStatus main = s.state().mainChannel().orElseThrow();
                long fromServer = primaryServerId != 0 ? primaryServerId : main.sourceServerId();
                var hb = s.state().heartbeat();
                lag = LagEstimator.estimate(hb, fromServer, log,
                        hb.sentAt() != null ? hb.sentAt() : s.probedAt(),
                        hb.receivedAt() != null ? hb.receivedAt() : s.probedAt().plus(s.latency()),
                        main.secondsBehindSource());
            }
            nodes.put(s.key(), new TopologyNode(s.key(), roles.get(s.key()), sourceOf.get(s.key()),
                    replicasOf.get(s.key()), configuredSet.contains(s.key()), s, lag, identities.get(s.key())));
        }
        return new Topology(snapshot.cluster(), snapshot.takenAt(), nodes, aliases);
    }

    /**
     * The node a replica's source is: the address it names when that is a node; otherwise the node with the
     * source's server_uuid (MySQL) or server_id, so a cluster reached through other addresses than the replicas
     * use (proxies, DNS names vs IPs) is still one tree.
     */
    private static InstanceKey resolve(ReplicaStatus main, Map<InstanceKey, TopologyNode.Identity> identities) {
        if (identities.containsKey(main.source())) {
            return main.source();
        }
        for (Map.Entry<InstanceKey, TopologyNode.Identity> e : identities.entrySet()) {
            TopologyNode.Identity id = e.getValue();
            boolean sameUuid = main.sourceUuid() != null && main.sourceUuid().equals(id.serverUuid());
            boolean sameId = main.sourceUuid() == null && main.sourceServerId() != 0
                    && main.sourceServerId() == id.serverId();
            if (sameUuid || sameId) {
                return e.getKey();
            }
        }
        return main.source();
    }

    private static Role role(InstanceSnapshot s, InstanceKey source, List<InstanceKey> replicas) {
        boolean hasReplicas = !replicas.isEmpty();
        if (!s.reachable()) {
            if (source != null) {
                return hasReplicas ? Role.INTERMEDIATE : Role.REPLICA; // as last seen
            }
            return hasReplicas ? Role.PRIMARY : Role.UNKNOWN;
        }
        if (source != null) {
            return hasReplicas ? Role.INTERMEDIATE : Role.REPLICA;
        }
        if (hasReplicas || s.state().readOnly().writable()) {
            return Role.PRIMARY;
        }
        return Role.STANDALONE;
    }

    private static InstanceKey uniquePrimary(Map<InstanceKey, Role> roles) {
        List<InstanceKey> primaries = roles.entrySet().stream().filter(e -> e.getValue() == Role.PRIMARY)
                .map(Map.Entry::getKey).toList();
        return primaries.size() == 1 ? primaries.get(0) : null;
    }

    public List<TopologyNode> withRole(Role role) {
        return nodes.values().stream().filter(n -> n.role() == role).toList();
    }

    /** The primary when exactly one server is one. */
    public Optional<TopologyNode> primary() {
        List<TopologyNode> p = withRole(Role.PRIMARY);
        return p.size() == 1 ? Optional.of(p.get(0)) : Optional.empty();
    }

    /** Servers that replicate from someone. */
    public List<TopologyNode> replicas() {
        return nodes.values().stream().filter(n -> n.source() != null).toList();
    }

    /**
     * Where the manager may write its heartbeat: the single reachable, writable server that replicates from
     * nobody. Empty when there is none or more than one (writing to either could create errant transactions).
     */
    public Optional<TopologyNode> heartbeatTarget() {
        List<TopologyNode> writableRoots = nodes.values().stream()
                .filter(n -> n.source() == null && n.snapshot().reachable()
                        && n.snapshot().state().readOnly().writable() && !n.snapshot().state().isReplica())
                .toList();
        return writableRoots.size() == 1 ? Optional.of(writableRoots.get(0)) : Optional.empty();
    }

    /** Sources named by replicas that are not in the snapshot (candidates for discovery). */
    public List<InstanceKey> unknownSources() {
        return nodes.values().stream().map(TopologyNode::source)
                .filter(src -> src != null && !nodes.containsKey(src)).distinct().toList();
    }

    /** Depth-first order from the roots: primaries, then their replicas beneath them. */
    public List<TopologyNode> treeOrder() {
        List<TopologyNode> out = new ArrayList<>();
        Set<InstanceKey> seen = new java.util.HashSet<>();
        for (TopologyNode n : nodes.values()) {
            if (n.source() == null || !nodes.containsKey(n.source())) {
                walk(n, out, seen);
            }
        }
        for (TopologyNode n : nodes.values()) {
            walk(n, out, seen); // cycles (a replicates from b, b from a) are listed too
        }
        return out;
    }

    private void walk(TopologyNode n, List<TopologyNode> out, Set<InstanceKey> seen) {
        if (!seen.add(n.key())) {
            return;
        }
        out.add(n);
        for (InstanceKey r : n.replicas()) {
            walk(nodes.get(r), out, seen);
        }
    }

    /** How deep a node is in the tree (0 for roots), for indentation. */
    public int depth(InstanceKey key) {
        int d = 0;
        InstanceKey k = nodes.get(key).source();
        Set<InstanceKey> seen = new java.util.HashSet<>();
        while (k != null && nodes.containsKey(k) && seen.add(k) && d < 64) {
            d++;
            k = nodes.get(k).source();
        }
        return d;
    }
}
