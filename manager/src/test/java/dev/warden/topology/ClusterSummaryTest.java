package dev.warden.topology;

import static dev.warden.testing.Snapshots.cluster;
import static dev.warden.testing.Snapshots.server;
import static dev.warden.testing.Snapshots.unreachable;
import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.model.InstanceKey;
import dev.warden.model.Reachability;
import dev.warden.model.ThreadState;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one sentence per cycle: what the log says and what DBAs read. */
class ClusterSummaryTest {

    static final String P = "10.0.0.1:3306";
    static final String R1 = "10.0.0.2:3306";
    static final String R2 = "10.0.0.3:3306";

    static String sentence(dev.warden.model.InstanceSnapshot... s) {
        List<InstanceKey> keys = java.util.Arrays.stream(s).map(x -> x.key()).toList();
        return ClusterSummary.sentence(Topology.of(cluster(s), keys, null));
    }

    @Test
    void healthyCluster() {
        assertThat(sentence(server(P).id(1).build(), server(R1).id(2).replicaOf(P).secondsBehind(0L).build(),
                server(R2).id(3).replicaOf(P).secondsBehind(2L).build()))
                .isEqualTo("cluster test: primary 10.0.0.1:3306 writable, 2/2 replicas replicating, "
                        + "max lag 2s (seconds_behind)");
    }

    @Test
    void deadPrimary() {
        assertThat(sentence(unreachable(P, Reachability.REFUSED),
                server(R1).id(2).replicaOf(P).threads(ThreadState.CONNECTING, ThreadState.RUNNING)
                        .ioError(2003, "Can't connect").build()))
                .isEqualTo("cluster test: primary 10.0.0.1:3306 unreachable (refused), 0/1 replicas replicating; "
                        + "10.0.0.2:3306 IO thread connecting (IO error 2003)");
    }

    @Test
    void brokenAndStoppedReplicas() {
        assertThat(sentence(server(P).id(1).build(),
                server(R1).id(2).replicaOf(P).sqlError(1062, "Duplicate entry").build(),
                server(R2).id(3).replicaOf(P).threads(ThreadState.STOPPED, ThreadState.RUNNING).build()))
                .isEqualTo("cluster test: primary 10.0.0.1:3306 writable, 0/2 replicas replicating; "
                        + "10.0.0.2:3306 replication broken (SQL error 1062); 10.0.0.3:3306 IO thread stopped");
    }

    @Test
    void twoPrimaries() {
        assertThat(sentence(server(P).id(1).build(), server(R1).id(2).build()))
                .isEqualTo("cluster test: 2 servers act as primary (10.0.0.1:3306, 10.0.0.2:3306), 0 replicas");
    }

    @Test
    void nothingReachable() {
        assertThat(sentence(unreachable(P, Reachability.TIMEOUT)))
                .isEqualTo("cluster test: no primary found, 0 replicas; 10.0.0.1:3306 unreachable (timeout)");
    }
}
