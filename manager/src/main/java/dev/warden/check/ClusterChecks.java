package dev.warden.check;

import dev.warden.model.InstanceSnapshot;
import dev.warden.model.ServerState;
import dev.warden.topology.Role;
import dev.warden.topology.Topology;
import dev.warden.topology.TopologyNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Verdicts that need every server of a cluster at once. Pure. */
public final class ClusterChecks {

    private ClusterChecks() {
    }

    public static List<CheckResult> evaluate(Topology t) {
        String subject = "cluster " + t.cluster();
        List<CheckResult> out = new ArrayList<>();
        List<TopologyNode> primaries = t.withRole(Role.PRIMARY);
        if (primaries.size() == 1) {
            TopologyNode p = primaries.get(0);
            long replicating = p.replicas().size();
            out.add(CheckResult.pass(subject, "topology", "one primary (" + p.key() + ") with " + replicating
                    + " direct replica" + (replicating == 1 ? "" : "s")));
        } else if (primaries.isEmpty()) {
            out.add(CheckResult.fail(subject, "topology", "no primary found among the reachable servers"));
        } else {
            out.add(CheckResult.fail(subject, "topology", primaries.size() + " servers act as primary ("
                    + String.join(", ", primaries.stream().map(n -> n.key().toString()).toList())
                    + "): a cluster needs exactly one"));
        }
        out.add(unique(subject, "server_id", t, s -> Long.toString(s.serverId())));
        boolean hasUuid = t.nodes().values().stream().anyMatch(n -> n.snapshot().reachable()
                && n.snapshot().state().serverUuid() != null);
        if (hasUuid) {
            out.add(unique(subject, "server_uuid", t, ServerState::serverUuid));
        }
        return out;
    }

    private static CheckResult unique(String subject, String what, Topology t,
                                      java.util.function.Function<ServerState, String> value) {
        Map<String, List<String>> byValue = new HashMap<>();
        for (TopologyNode n : t.nodes().values()) {
            InstanceSnapshot s = n.snapshot();
            if (s.reachable() && value.apply(s.state()) != null) {
                byValue.computeIfAbsent(value.apply(s.state()), k -> new ArrayList<>()).add(n.key().toString());
            }
        }
        List<String> clashes = new ArrayList<>();
        byValue.forEach((v, keys) -> {
            if (keys.size() > 1) {
                clashes.add(what + " " + v + " on " + String.join(" and ", keys));
            }
        });
        if (byValue.containsKey("0") && what.equals("server_id")) {
            clashes.add("server_id 0 on " + String.join(", ", byValue.get("0")) + " (replication needs a non-zero id)");
        }
        return clashes.isEmpty()
                ? CheckResult.pass(subject, what, "distinct on every reachable server")
                : CheckResult.fail(subject, what, String.join("; ", clashes) + ": every server needs its own " + what);
    }
}
