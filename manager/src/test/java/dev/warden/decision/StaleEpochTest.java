package dev.warden.decision;

import static dev.warden.decision.Views.at;
import static dev.warden.testing.Snapshots.clusterAt;
import static dev.warden.testing.Snapshots.server;
import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.model.InstanceKey;
import dev.warden.model.InstanceSnapshot;
import dev.warden.model.ReadOnlyState;
import dev.warden.plan.FenceOldPrimary;
import dev.warden.plan.PlanKind;
import org.junit.jupiter.api.Test;

/** Several managers: a writable server carrying an older warden.term epoch than the cluster's newest is fenced. */
class StaleEpochTest {

    static final String U = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
    static final String X = "10.0.0.1:3306";
    static final String Y = "10.0.0.2:3306";
    static final String R = "10.0.0.3:3306";

    static ClusterView led(long epoch, InstanceSnapshot... servers) {
        return new Views().ledAt(epoch).of(clusterAt(at(1000), servers));
    }

    static InstanceSnapshot primary(String address, long id, Long term) {
        var s = server(address).id(id).gtid(U + ":1-10");
        return (term == null ? s : s.term(term, "site-a")).build();
    }

    @Test
    void aWritableServerWithAnOlderEpochIsFenced() {
        ClusterView v = led(7, primary(X, 1, 6L), primary(Y, 2, 5L));
        assertThat(Aftercare.of(v, at(1000)).plans()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(PlanKind.REFENCE);
            assertThat(p.oldPrimary()).isEqualTo(InstanceKey.parse(Y));
            assertThat(p.steps()).singleElement().isInstanceOf(FenceOldPrimary.class);
            assertThat(p.trigger()).contains("epoch 5").contains("carries epoch 6").contains("stale primary");
        });
    }

    @Test
    void aWritableServerWithoutATermIsOlderThanOneWithATerm() {
        ClusterView v = led(7, primary(X, 1, 6L), primary(Y, 2, null));
        assertThat(Aftercare.of(v, at(1000)).plans()).singleElement()
                .satisfies(p -> assertThat(p.oldPrimary()).isEqualTo(InstanceKey.parse(Y)));
    }

    @Test
    void theNewerEpochSeenOnlyOnAReplicaStillMakesTheWritableOneStale() {
        // The newest primary is out of reach; a replica re-pointed under it shows its epoch.
        ClusterView v = led(7, primary(Y, 2, 5L), server(R).id(3).gtid(U + ":1-10").replicaOf("10.0.0.9:3306")
                .readOnly(ReadOnlyState.SUPER_READ_ONLY).term(6, "site-b").build());
        assertThat(Aftercare.of(v, at(1000)).plans()).singleElement()
                .satisfies(p -> assertThat(p.oldPrimary()).isEqualTo(InstanceKey.parse(Y)));
    }

    @Test
    void aTieIsNeverStale() {
        assertThat(Aftercare.of(led(7, primary(X, 1, 6L), primary(Y, 2, 6L)), at(1000)).plans()).isEmpty();
        assertThat(Aftercare.of(led(7, primary(X, 1, null), primary(Y, 2, null)), at(1000)).plans()).isEmpty();
    }

    @Test
    void anEpochNewerThanThisManagersOwnJudgesNothing() {
        // Its own epoch is what is behind (ZooKeeper's data was reset, say): it fences nobody by epochs.
        assertThat(Aftercare.of(led(7, primary(X, 1, 9L), primary(Y, 2, 5L)), at(1000)).plans()).isEmpty();
    }

    @Test
    void aManagerAloneJudgesNoEpochs() {
        ClusterView alone = new Views().of(clusterAt(at(1000), primary(X, 1, 6L), primary(Y, 2, 5L)));
        assertThat(Aftercare.of(alone, at(1000)).plans()).isEmpty();
    }

    @Test
    void aReadOnlyServerWithAnOlderEpochIsLeftAlone() {
        ClusterView v = led(7, primary(X, 1, 6L), server(Y).id(2).gtid(U + ":1-10")
                .readOnly(ReadOnlyState.SUPER_READ_ONLY).term(5, "site-a").build());
        assertThat(Aftercare.of(v, at(1000)).plans()).isEmpty();
    }

    @Test
    void thePrimaryWithTheNewestEpochIsNeverFenced() {
        ClusterView v = led(7, primary(X, 1, 7L), primary(Y, 2, 6L), server(R).id(3).gtid(U + ":1-10")
                .replicaOf(X).readOnly(ReadOnlyState.SUPER_READ_ONLY).term(7, "site-a").build());
        assertThat(Aftercare.of(v, at(1000)).plans()).extracting(p -> p.oldPrimary())
                .containsExactly(InstanceKey.parse(Y));
    }
}
