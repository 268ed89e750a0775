package dev.warden.proxy;

import static dev.warden.testing.Snapshots.cluster;
import static dev.warden.testing.Snapshots.server;
import static dev.warden.testing.Snapshots.unreachable;
import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.decision.ClusterControls;
import dev.warden.model.InstanceKey;
import dev.warden.model.ReadOnlyState;
import dev.warden.model.Reachability;
import dev.warden.model.ThreadState;
import dev.warden.topology.Topology;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LbHealthTest {

    static final String P = "10.0.0.1:3306";
    static final String R1 = "10.0.0.2:3306";
    static final String R2 = "10.0.0.3:3306";
    static final Duration FRESH = Duration.ofMillis(300);
    static final Duration MAX_AGE = Duration.ofSeconds(5);
    static final Duration LAG = Duration.ofSeconds(5);

    static Topology healthy() {
        return Topology.of(cluster(server(P).id(1).build(),
                server(R1).id(2).replicaOf(P).readOnly(ReadOnlyState.SUPER_READ_ONLY).secondsBehind(0L).build(),
                server(R2).id(3).replicaOf(P).readOnly(ReadOnlyState.SUPER_READ_ONLY).secondsBehind(60L).build()),
                List.of(), null);
    }

    static LbHealth.View view(Topology t, ClusterControls c) {
        return new LbHealth.View(t, c, null, FRESH, MAX_AGE);
    }

    static String primary(LbHealth.View v, String server) {
        LbHealth.Verdict x = LbHealth.primary(v, InstanceKey.parse(server));
        return x.status() + " " + x.reason();
    }

    static String replica(LbHealth.View v, String server) {
        LbHealth.Verdict x = LbHealth.replica(v, InstanceKey.parse(server), LAG);
        return x.status() + " " + x.reason();
    }

    @Test
    void onlyTheWritablePrimaryIsUpAsPrimary() {
        LbHealth.View v = view(healthy(), ClusterControls.NONE);
        assertThat(primary(v, P)).isEqualTo("200 " + P + " is the writable primary");
        assertThat(primary(v, R1)).isEqualTo("503 " + R1 + " replicates from " + P);
        assertThat(primary(v, "10.0.0.9:3306")).startsWith("404 10.0.0.9:3306 is not a server of cluster");
    }

    @Test
    void replicasAreUpWhileTheyReplicateWithinTheLag() {
        LbHealth.View v = view(healthy(), ClusterControls.NONE);
        assertThat(replica(v, R1)).startsWith("200 " + R1 + " replicates from " + P);
        assertThat(replica(v, R2)).startsWith("503 " + R2 + ": lag 60s").contains("over 5000 ms");
        assertThat(replica(v, P)).isEqualTo("503 " + P + " is not a replica");
    }

    @Test
    void aFencedOldPrimaryIsNeverUpEvenWhileItAnswersWritable() {
        // The old primary came back writable beside the new one; Warden fences it again, and meanwhile says no.
        Topology t = Topology.of(cluster(server(P).id(1).build(),
                server(R1).id(2).build(),
                server(R2).id(3).replicaOf(R1).readOnly(ReadOnlyState.SUPER_READ_ONLY).secondsBehind(0L).build()),
                List.of(), null);
        LbHealth.View v = view(t, ClusterControls.NONE.withFenced(Set.of(InstanceKey.parse(P))));
        assertThat(primary(v, P)).isEqualTo("503 " + P + " is fenced (an old primary): it must not take writes");
        assertThat(primary(v, R1)).isEqualTo("200 " + R1 + " is the writable primary");
        assertThat(replica(v, P)).startsWith("503 " + P + " is fenced");
    }

    @Test
    void twoUnfencedWritableServersAreBothDown() {
        Topology t = Topology.of(cluster(server(P).id(1).build(), server(R1).id(2).build()), List.of(), null);
        LbHealth.View v = view(t, ClusterControls.NONE);
        assertThat(primary(v, P)).startsWith("503 2 servers take writes");
        assertThat(primary(v, R1)).startsWith("503 2 servers take writes");
    }

    @Test
    void thePrimaryAFailoverReplacesIsDownFromItsStart() {
        LbHealth.View v = new LbHealth.View(healthy(), ClusterControls.NONE, InstanceKey.parse(P), FRESH, MAX_AGE);
        assertThat(primary(v, P)).isEqualTo("503 an operation is replacing " + P + " as the primary");
    }

    @Test
    void aStaleViewIsDownForEveryone() {
        LbHealth.View v = new LbHealth.View(healthy(), ClusterControls.NONE, null, Duration.ofSeconds(9), MAX_AGE);
        assertThat(primary(v, P)).startsWith("503 this manager's view of cluster").contains("9000 ms old");
        assertThat(replica(v, R1)).startsWith("503 this manager's view");
        assertThat(primary(new LbHealth.View(null, ClusterControls.NONE, null, Duration.ZERO, MAX_AGE), P))
                .isEqualTo("503 not probed yet");
    }

    @Test
    void unreachableReadOnlyBrokenAndMaintainedServersAreDown() {
        Topology t = Topology.of(cluster(unreachable(P, Reachability.REFUSED),
                server(R1).id(2).replicaOf(P).readOnly(ReadOnlyState.SUPER_READ_ONLY)
                        .threads(ThreadState.CONNECTING, ThreadState.RUNNING).build(),
                server(R2).id(3).replicaOf(P).readOnly(ReadOnlyState.SUPER_READ_ONLY).secondsBehind(0L).build()),
                List.of(), null);
        LbHealth.View v = view(t, ClusterControls.NONE.withServerMaintenance(InstanceKey.parse(R2), true));
        assertThat(primary(v, P)).isEqualTo("503 " + P + " is unreachable (refused)");
        assertThat(replica(v, R1)).isEqualTo("503 " + R1 + ": replication IO connecting, SQL running");
        assertThat(replica(v, R2)).isEqualTo("503 " + R2 + " is in maintenance");
        Topology ro = Topology.of(cluster(server(P).id(1).readOnly(ReadOnlyState.SUPER_READ_ONLY).build()), List.of(),
                null);
        assertThat(primary(view(ro, ClusterControls.NONE), P)).isEqualTo("503 " + P + " is super_read_only");
    }
}
