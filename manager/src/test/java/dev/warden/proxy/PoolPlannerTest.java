package dev.warden.proxy;

import static dev.warden.testing.Snapshots.cluster;
import static dev.warden.testing.Snapshots.server;
import static dev.warden.testing.Snapshots.unreachable;
import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.config.HaproxyConfig;
import dev.warden.model.InstanceKey;
import dev.warden.model.Reachability;
import dev.warden.model.ThreadState;
import dev.warden.topology.Topology;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PoolPlannerTest {

    static final String P = "10.0.0.1:3306";
    static final HaproxyConfig CFG = new HaproxyConfig("test", "/run/haproxy.sock", "w", "r", Duration.ofSeconds(5),
            Map.of(InstanceKey.parse("10.0.0.3:3306"), 30));

    static HaproxyClient.ServerState slot(String backend, String name, String addr, boolean maint, int weight) {
        return new HaproxyClient.ServerState(backend, name, InstanceKey.parse(addr), maint, weight, false);
    }

    static List<String> changes(Topology t, List<HaproxyClient.ServerState> w, List<HaproxyClient.ServerState> r) {
        return PoolPlanner.changes(t, CFG, w, r).stream().map(c -> c.backend() + "/" + c.slot() + " "
                + (c.ready() ? "ready " + c.weight() : "maint") + " (" + c.reason() + ")").toList();
    }

    @Test
    void writerToThePrimaryReadersToHealthyReplicasAtTheirWeight() {
        Topology t = Topology.of(cluster(server(P).id(1).build(),
                server("10.0.0.2:3306").id(2).replicaOf(P).secondsBehind(0L).build(),
                server("10.0.0.3:3306").id(3).replicaOf(P).secondsBehind(1L).build(),
                server("10.0.0.4:3306").id(4).replicaOf(P).secondsBehind(60L).build(),
                server("10.0.0.5:3306").id(5).replicaOf(P).threads(ThreadState.RUNNING, ThreadState.STOPPED).build()),
                List.of(), null);
        List<HaproxyClient.ServerState> writer = List.of(slot("w", "s1", P, true, 1), slot("w", "s2", "10.0.0.2:3306",
                false, 1));
        List<HaproxyClient.ServerState> readers = List.of(slot("r", "s1", P, false, 1),
                slot("r", "s2", "10.0.0.2:3306", true, 1), slot("r", "s3", "10.0.0.3:3306", false, 100),
                slot("r", "s4", "10.0.0.4:3306", false, 100), slot("r", "s5", "10.0.0.5:3306", false, 100),
                slot("r", "s9", "10.0.0.9:3306", true, 1));
        assertThat(changes(t, writer, readers)).containsExactly(
                "w/s1 ready 1 (primary)",
                "w/s2 maint (not the primary)",
                "r/s1 maint (not a replica)",
                "r/s2 ready 100 (healthy)",
                "r/s3 ready 30 (healthy)",
                "r/s4 maint (lag 60s (seconds_behind) over 5000 ms)",
                "r/s5 maint (replication IO running, SQL stopped)");
    }

    @Test
    void withoutAWritablePrimaryTheWriterBackendIsLeftAlone() {
        Topology t = Topology.of(cluster(unreachable(P, Reachability.REFUSED),
                server("10.0.0.2:3306").id(2).replicaOf(P).threads(ThreadState.CONNECTING, ThreadState.RUNNING).build()),
                List.of(), null);
        assertThat(changes(t, List.of(slot("w", "s1", P, false, 1)), List.of())).isEmpty();
    }
}
