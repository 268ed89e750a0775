package dev.warden.topology;

import static dev.warden.testing.Snapshots.cluster;
import static dev.warden.testing.Snapshots.server;
import static dev.warden.testing.Snapshots.unreachable;
import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.model.InstanceKey;
import dev.warden.model.Reachability;
import dev.warden.model.ReadOnlyState;
import dev.warden.model.ThreadState;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopologyTest {

    static final String P = "10.0.0.1:3306";
    static final String R1 = "10.0.0.2:3306";
    static final String R2 = "10.0.0.3:3306";
    static final String R3 = "10.0.0.4:3306";

    static List<InstanceKey> keys(String... a) {
        return java.util.Arrays.stream(a).map(InstanceKey::parse).toList();
    }

    @Test
    void derivesRolesAndTheTree() {
        Topology t = Topology.of(cluster(
                server(P).id(1).build(),
                server(R1).id(2).replicaOf(P).build(),
                server(R2).id(3).replicaOf(R1).build(),
                server(R3).id(4).readOnly(ReadOnlyState.READ_ONLY).build()), keys(P, R1, R2), null);
        assertThat(t.nodes().get(InstanceKey.parse(P)).role()).isEqualTo(Role.PRIMARY);
        assertThat(t.nodes().get(InstanceKey.parse(R1)).role()).isEqualTo(Role.INTERMEDIATE);
        assertThat(t.nodes().get(InstanceKey.parse(R2)).role()).isEqualTo(Role.REPLICA);
        assertThat(t.nodes().get(InstanceKey.parse(R3)).role()).isEqualTo(Role.STANDALONE);
        assertThat(t.nodes().get(InstanceKey.parse(R3)).configured()).isFalse();
        assertThat(t.primary().orElseThrow().key()).isEqualTo(InstanceKey.parse(P));
        assertThat(t.treeOrder()).extracting(n -> n.key().toString()).containsExactly(P, R1, R2, R3);
        assertThat(t.depth(InstanceKey.parse(R2))).isEqualTo(2);
        assertThat(t.replicas()).hasSize(2);
    }

    @Test
    void anUnreachablePrimaryIsStillThePrimaryWhenReplicasPointAtIt() {
        Topology t = Topology.of(cluster(
                unreachable(P, Reachability.REFUSED),
                server(R1).id(2).replicaOf(P).threads(ThreadState.CONNECTING, ThreadState.RUNNING).build()),
                keys(P, R1), null);
        assertThat(t.primary().orElseThrow().key()).isEqualTo(InstanceKey.parse(P));
        assertThat(t.heartbeatTarget()).isEmpty();
    }

    @Test
    void theHeartbeatIsWrittenOnlyToTheSingleWritableRoot() {
        Topology one = Topology.of(cluster(server(P).id(1).build(), server(R1).id(2).replicaOf(P).build()),
                keys(P, R1), null);
        assertThat(one.heartbeatTarget().orElseThrow().key()).isEqualTo(InstanceKey.parse(P));

        Topology two = Topology.of(cluster(server(P).id(1).build(), server(R1).id(2).build()), keys(P, R1), null);
        assertThat(two.heartbeatTarget()).as("two writable servers: never write to either").isEmpty();
        assertThat(two.primary()).isEmpty();
        assertThat(two.withRole(Role.PRIMARY)).hasSize(2);

        Topology readOnlyPrimary = Topology.of(cluster(
                server(P).id(1).readOnly(ReadOnlyState.SUPER_READ_ONLY).build(), server(R1).id(2).replicaOf(P).build()),
                keys(P, R1), null);
        assertThat(readOnlyPrimary.heartbeatTarget()).isEmpty();

        Topology writableReplica = Topology.of(cluster(
                server(P).id(1).readOnly(ReadOnlyState.READ_ONLY).build(),
                server(R1).id(2).replicaOf(P).readOnly(ReadOnlyState.WRITABLE).build()), keys(P, R1), null);
        assertThat(writableReplica.heartbeatTarget()).as("a writable replica is not a heartbeat target").isEmpty();
    }

    @Test
    void namesSourcesOutsideTheSnapshot() {
        Topology t = Topology.of(cluster(server(R1).id(2).replicaOf(P).build()), keys(R1), null);
        assertThat(t.unknownSources()).containsExactly(InstanceKey.parse(P));
        assertThat(t.treeOrder()).hasSize(1);
    }

    @Test
    void aServerThatDiesKeepsItsLastKnownSource() {
        Topology before = Topology.of(cluster(server(P).id(1).build(), server(R1).id(2).replicaOf(P).build()),
                keys(P, R1), null);
        Topology after = Topology.of(cluster(server(P).id(1).build(), unreachable(R1, Reachability.REFUSED)),
                keys(P, R1), null, before);
        assertThat(after.nodes().get(InstanceKey.parse(R1)).role()).isEqualTo(Role.REPLICA);
        assertThat(after.nodes().get(InstanceKey.parse(R1)).source()).isEqualTo(InstanceKey.parse(P));
        assertThat(after.replicas()).hasSize(1);
        assertThat(ClusterSummary.sentence(after)).contains("0/1 replicas replicating; 10.0.0.2:3306 unreachable");
        Topology forgotten = Topology.of(cluster(server(P).id(1).build(), unreachable(R1, Reachability.REFUSED)),
                keys(P, R1), null);
        assertThat(forgotten.nodes().get(InstanceKey.parse(R1)).role()).isEqualTo(Role.UNKNOWN);
    }
}
