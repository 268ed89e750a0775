package dev.warden.decision;

import static dev.warden.decision.Views.at;
import static dev.warden.testing.Snapshots.clusterAt;
import static dev.warden.testing.Snapshots.server;
import static dev.warden.testing.Snapshots.unreachable;
import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.model.InstanceKey;
import dev.warden.model.Reachability;
import dev.warden.model.ReadOnlyState;
import dev.warden.model.ThreadState;
import dev.warden.plan.FenceOldPrimary;
import dev.warden.plan.PlanKind;
import dev.warden.plan.Repoint;
import org.junit.jupiter.api.Test;

/** After a failover: the old primary and the replicas left on it, as they come back. */
class AftercareTest {

    static final String U = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
    static final String N = "8a94f357-aab4-11df-86ab-c80aa9429563";
    static final String OLD = "10.0.0.1:3306";
    static final String NEW = "10.0.0.2:3306";
    static final String R = "10.0.0.3:3306";

    static ClusterControls afterFailover() {
        FailoverRecord rec = new FailoverRecord("op-1", InstanceKey.parse(OLD), InstanceKey.parse(NEW), at(0));
        return ClusterControls.NONE.afterFailover(rec, at(600_000));
    }

    static ClusterView view(ClusterControls c, dev.warden.model.InstanceSnapshot old,
                            dev.warden.model.InstanceSnapshot... others) {
        dev.warden.model.InstanceSnapshot[] all = new dev.warden.model.InstanceSnapshot[others.length + 2];
        all[0] = old;
        all[1] = server(NEW).id(2).gtid(U + ":1-100," + N + ":1-5").build();
        System.arraycopy(others, 0, all, 2, others.length);
        return new Views().controls(c).of(clusterAt(at(1000), all));
    }

    @Test
    void aWritableOldPrimaryIsFencedAgainAtOnce() {
        Aftercare a = Aftercare.of(view(afterFailover(), server(OLD).id(1).gtid(U + ":1-100").build()), at(1000));
        assertThat(a.plans()).hasSize(1);
        assertThat(a.plans().get(0).kind()).isEqualTo(PlanKind.REFENCE);
        assertThat(a.plans().get(0).steps()).singleElement().isInstanceOf(FenceOldPrimary.class);
    }

    @Test
    void aReadOnlyOldPrimaryWithNothingExtraRejoinsUnderTheNewPrimary() {
        ClusterView v = view(afterFailover(), server(OLD).id(1).gtid(U + ":1-100")
                .readOnly(ReadOnlyState.SUPER_READ_ONLY).build());
        Aftercare a = Aftercare.of(v, at(1000));
        assertThat(a.plans()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(PlanKind.REJOIN);
            assertThat(((Repoint) p.steps().get(0)).newSource()).isEqualTo(InstanceKey.parse(NEW));
        });
        assertThat(Analyzer.analyze(v, at(1000))).noneMatch(f -> f.code() == FindingCode.QuarantinedPrimary);
    }

    @Test
    void anOldPrimaryWithTransactionsTheNewOneLacksIsQuarantinedWithThemListed() {
        ClusterView v = view(afterFailover(), server(OLD).id(1).gtid(U + ":1-103")
                .readOnly(ReadOnlyState.SUPER_READ_ONLY).build());
        assertThat(Aftercare.of(v, at(1000)).plans()).isEmpty();
        Finding q = Analyzer.analyze(v, at(1000)).stream().filter(f -> f.code() == FindingCode.QuarantinedPrimary)
                .findFirst().orElseThrow();
        assertThat(q.detail()).contains("3 transaction(s)").contains(U + ":101-103");
    }

    @Test
    void policyCanKeepACleanOldPrimaryOut() {
        var p = Views.POLICY;
        var noRejoin = new dev.warden.config.FailoverPolicy(p.automatic(), p.confirmationWindow(), p.replicaSilence(),
                p.maxCandidateLag(), p.lagWarning(), p.antiFlap(), false, p.fenceTimeout(), p.catchUpTimeout(),
                p.promoteTimeout(), p.repointTimeout());
        ClusterView v = new Views().controls(afterFailover()).policy(noRejoin).of(clusterAt(at(1000),
                server(OLD).id(1).gtid(U + ":1-100").readOnly(ReadOnlyState.SUPER_READ_ONLY).build(),
                server(NEW).id(2).gtid(U + ":1-100").build()));
        assertThat(Aftercare.of(v, at(1000)).plans()).isEmpty();
        assertThat(Analyzer.analyze(v, at(1000))).anySatisfy(f -> assertThat(f.detail())
                .contains("failover.rejoin_old_primary is off"));
    }

    @Test
    void aReplicaStillOnTheOldPrimaryIsRepointed() {
        ClusterView v = view(afterFailover(), unreachable(OLD, Reachability.REFUSED, at(1000)),
                server(R).id(3).replicaOf(OLD).gtid(U + ":1-100").threads(ThreadState.CONNECTING, ThreadState.RUNNING)
                        .build());
        assertThat(Aftercare.of(v, at(1000)).plans()).singleElement().satisfies(p ->
                assertThat(p.steps().get(0).server()).isEqualTo(InstanceKey.parse(R)));
    }

    @Test
    void anOldPrimaryReplicatingFromTheNewOneIsSettled() {
        ClusterView v = view(afterFailover(), server(OLD).id(1).replicaOf(NEW).gtid(U + ":1-100").build());
        Aftercare a = Aftercare.of(v, at(1000));
        assertThat(a.settled()).containsExactly(InstanceKey.parse(OLD));
        assertThat(a.plans()).isEmpty();
    }

    @Test
    void anOldPrimaryOnTheNewOneStaysFencedWhileTheNewOneCannotBeCompared() {
        // Replicating from the new primary proves nothing by itself (MySQL skips what the replica already has): it is
        // settled only once both are read and it has nothing the new primary lacks, never while the new one is away.
        ClusterView away = new Views().controls(afterFailover()).of(clusterAt(at(1000),
                server(OLD).id(1).replicaOf(NEW).gtid(U + ":1-103").readOnly(ReadOnlyState.SUPER_READ_ONLY).build(),
                unreachable(NEW, Reachability.TIMEOUT, at(1000))));
        assertThat(Aftercare.of(away, at(1000)).settled()).isEmpty();
        ClusterView extra = view(afterFailover(), server(OLD).id(1).replicaOf(NEW).gtid(U + ":1-103")
                .readOnly(ReadOnlyState.SUPER_READ_ONLY).build());
        assertThat(Aftercare.of(extra, at(1000)).settled()).isEmpty();
    }

    @Test
    void mariaDbOldPrimaryTailIsFoundFromItsBinlogState() {
        ClusterView v = new Views().controls(afterFailover()).of(clusterAt(at(1000),
                server(OLD).mariadb().id(1).gtid("0-1-105").binlogState("0-1-105")
                        .readOnly(ReadOnlyState.READ_ONLY).build(),
                server(NEW).mariadb().id(2).gtid("0-2-110").binlogState("0-1-100,0-2-110").build()));
        assertThat(Aftercare.of(v, at(1000)).plans()).isEmpty();
        assertThat(Analyzer.analyze(v, at(1000))).anySatisfy(f -> {
            assertThat(f.code()).isEqualTo(FindingCode.QuarantinedPrimary);
            assertThat(f.detail()).contains("5 transaction(s)").contains("0-1-101..105");
        });
        ClusterView clean = new Views().controls(afterFailover()).of(clusterAt(at(1000),
                server(OLD).mariadb().id(1).gtid("0-1-100").binlogState("0-1-100")
                        .readOnly(ReadOnlyState.READ_ONLY).build(),
                server(NEW).mariadb().id(2).gtid("0-2-110").binlogState("0-1-100,0-2-110").build()));
        assertThat(Aftercare.of(clean, at(1000)).plans()).singleElement()
                .satisfies(p -> assertThat(p.kind()).isEqualTo(PlanKind.REJOIN));
    }

    @Test
    void mariaDbErrantReplicaWritesAreFound() {
        ClusterView v = new Views().of(clusterAt(at(0),
                server(OLD).mariadb().id(1).gtid("0-1-50").binlogState("0-1-50").build(),
                server(R).mariadb().id(3).replicaOf(OLD).gtid("0-3-51").binlogState("0-1-50,0-3-51")
                        .readOnly(ReadOnlyState.READ_ONLY).build()));
        assertThat(Analyzer.analyze(v, at(1))).extracting(f -> f.code() + " " + f.detail())
                .containsExactly("ErrantGtid 1 errant transaction(s): 0-3-51; it must not be promoted until they are "
                        + "removed or reconciled");
    }
}
