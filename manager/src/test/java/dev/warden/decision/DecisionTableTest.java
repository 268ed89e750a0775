package dev.warden.decision;

import static dev.warden.decision.Views.at;
import static dev.warden.testing.Snapshots.clusterAt;
import static dev.warden.testing.Snapshots.server;
import static dev.warden.testing.Snapshots.unreachable;
import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.model.InstanceKey;
import dev.warden.model.InstanceSnapshot;
import dev.warden.model.PromotionRule;
import dev.warden.model.Reachability;
import dev.warden.model.ThreadState;
import dev.warden.plan.CatchUp;
import dev.warden.plan.FenceOldPrimary;
import dev.warden.plan.Plan;
import dev.warden.plan.Promote;
import dev.warden.plan.Repoint;
import java.time.Duration;
import java.util.Set;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Snapshots in, findings and decisions out: the failure detector and the planner as tables. */
class DecisionTableTest {

    static final String U = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
    static final String P = "10.0.0.1:3306";
    static final String R1 = "10.0.0.2:3306";
    static final String R2 = "10.0.0.3:3306";

    static InstanceSnapshot primary(long ms, String gtid) {
        return server(P).id(1).gtid(U + ":" + gtid).at(at(ms)).build();
    }

    static dev.warden.testing.Snapshots.Server replica(String addr, long id, long ms, String gtid) {
        return server(addr).id(id).replicaOf(P).gtid(U + ":" + gtid).at(at(ms));
    }

    /** The primary refused at +100 ms; each replica's IO thread is reconnecting. */
    static dev.warden.model.ClusterSnapshot deadAt(long ms, InstanceSnapshot... replicas) {
        InstanceSnapshot[] all = new InstanceSnapshot[replicas.length + 1];
        all[0] = unreachable(P, Reachability.REFUSED, at(ms));
        System.arraycopy(replicas, 0, all, 1, replicas.length);
        return clusterAt(at(ms), all);
    }

    static InstanceSnapshot connecting(String addr, long id, long ms, String gtid) {
        return replica(addr, id, ms, gtid).threads(ThreadState.CONNECTING, ThreadState.RUNNING)
                .ioError(2003, "Can't connect to MySQL server").build();
    }

    static dev.warden.model.ClusterSnapshot healthy() {
        return clusterAt(at(0), primary(0, "1-100"), replica(R1, 2, 0, "1-100").build(),
                replica(R2, 3, 0, "1-100").build());
    }

    /**
     * Healthy, but the replicas (their own complete measure, MySQL) already heard nothing for a while: the story of a
     * primary hung before the manager's first look at t=0.
     */
    static dev.warden.model.ClusterSnapshot silentSince(long r1Ms, long r2Ms) {
        return clusterAt(at(0), primary(0, "1-100"), replica(R1, 2, 0, "1-100").silentFor(Duration.ofMillis(r1Ms))
                .build(), replica(R2, 3, 0, "1-100").silentFor(Duration.ofMillis(r2Ms)).build());
    }

    static List<Finding> findings(ClusterView v, Instant now) {
        return Analyzer.analyze(v, now);
    }

    static Decision decide(ClusterView v, Instant now) {
        Finding top = findings(v, now).get(0);
        return Planner.decide(top, v, now);
    }

    @Test
    void aHealthyClusterHasNoFindings() {
        assertThat(findings(new Views().of(healthy()), at(10))).isEmpty();
    }

    @Test
    void aPrimaryJustLostIsWaitedOnUntilTheConfirmationWindowPasses() {
        ClusterView v = new Views().of(healthy(), deadAt(100, connecting(R1, 2, 100, "1-100"),
                connecting(R2, 3, 100, "1-100")));
        List<Finding> f = findings(v, at(150));
        assertThat(f).extracting(Finding::code).containsExactly(FindingCode.UnreachablePrimary);
        assertThat(f.get(0).pending()).isTrue();
        assertThat(f.get(0).detail()).contains("2/2 replicas confirm").contains("confirmation window 0.200 s not over");
        assertThat(decide(v, at(150))).isInstanceOf(Decision.Wait.class);
    }

    @Test
    void aDeadPrimaryConfirmedByEveryReplicaIsFailedOverToTheMostAdvancedOne() {
        ClusterView v = new Views().of(healthy(), deadAt(100, connecting(R1, 2, 100, "1-100"),
                replica(R2, 3, 100, "1-90").received(U + ":1-100").threads(ThreadState.CONNECTING, ThreadState.RUNNING)
                        .build()), deadAt(400, connecting(R1, 2, 400, "1-99"),
                replica(R2, 3, 400, "1-95").received(U + ":1-100").threads(ThreadState.CONNECTING, ThreadState.RUNNING)
                        .build()));
        List<Finding> f = findings(v, at(400));
        assertThat(f.get(0).code()).isEqualTo(FindingCode.DeadPrimary);
        assertThat(f.get(0).votes()).extracting(Vote::verdict).containsExactly(Vote.Verdict.CONFIRMS_DEAD,
                Vote.Verdict.CONFIRMS_DEAD, Vote.Verdict.CONFIRMS_DEAD);
        assertThat(f.get(0).votes().get(0).saw()).startsWith("refused for 0.300 s");
        Plan plan = ((Decision.Act) Planner.decide(f.get(0), v, at(400))).plan();
        assertThat(plan.candidate()).as("R2 received everything; R1 lacks U:100").isEqualTo(InstanceKey.parse(R2));
        assertThat(plan.knownMissing()).isZero();
        assertThat(plan.steps()).extracting(s -> s.getClass().getSimpleName())
                .containsExactly("FenceOldPrimary", "CatchUp", "Promote", "Repoint");
        assertThat(((CatchUp) plan.steps().get(1)).received().toString()).isEqualTo(U + ":1-100");
        assertThat(((Repoint) plan.steps().get(3)).server()).isEqualTo(InstanceKey.parse(R1));
        assertThat(((FenceOldPrimary) plan.steps().get(0)).server()).isEqualTo(InstanceKey.parse(P));
    }

    /** Best effort: published after the promotion, beside the re-points; gate: before it, alone. */
    @Test
    void theKeyValuePublishIsAfterThePromotion_orBeforeItWithAGate() {
        ClusterView dead = new Views().of(healthy(), deadAt(100, connecting(R1, 2, 100, "1-100"),
                connecting(R2, 3, 100, "1-100")), deadAt(400, connecting(R1, 2, 400, "1-100"),
                connecting(R2, 3, 400, "1-100")));
        for (boolean gate : new boolean[] {false, true}) {
            ClusterView v = new ClusterView(dead.topology(), dead.history(), dead.controls(), dead.policy(),
                    dead.configured(), new Integrations(Set.of(), false, null,
                    new Integrations.Kv(gate, Duration.ofSeconds(3))));
            Plan plan = ((Decision.Act) Planner.decide(findings(v, at(400)).get(0), v, at(400))).plan();
            assertThat(plan.steps()).extracting(s -> s.getClass().getSimpleName()).containsExactly(gate
                    ? new String[] {"FenceOldPrimary", "CatchUp", "PublishPrimary", "Promote", "Repoint"}
                    : new String[] {"FenceOldPrimary", "CatchUp", "Promote", "PublishPrimary", "Repoint"});
            dev.warden.plan.PublishPrimary pub = plan.steps().stream().filter(
                    s -> s instanceof dev.warden.plan.PublishPrimary).map(s -> (dev.warden.plan.PublishPrimary) s)
                    .findFirst().orElseThrow();
            assertThat(pub.server()).isEqualTo(plan.candidate());
            assertThat(pub.gate()).isEqualTo(gate);
            assertThat(pub.timeout()).isEqualTo(Duration.ofSeconds(3));
        }
    }

    @Test
    void theDataLossBoundCountsWhatThePrimaryHadAndTheCandidateLacks() {
        ClusterView v = new Views().of(clusterAt(at(0), primary(0, "1-105"), replica(R1, 2, 0, "1-100").build()),
                deadAt(100, connecting(R1, 2, 100, "1-100")), deadAt(400, connecting(R1, 2, 400, "1-100")));
        Plan plan = ((Decision.Act) decide(v, at(400))).plan();
        assertThat(plan.candidate()).isEqualTo(InstanceKey.parse(R1));
        assertThat(plan.knownMissing()).isEqualTo(5);
    }

    @Test
    void whenReplicasStillReceiveFromThePrimaryTheManagerIsTheOneCutOff() {
        ClusterView v = new Views().of(healthy(), clusterAt(at(500), unreachable(P, Reachability.TIMEOUT, at(500)),
                replica(R1, 2, 500, "1-100").silentFor(Duration.ofMillis(200)).build(),
                replica(R2, 3, 500, "1-100").silentFor(Duration.ofMillis(300)).build()));
        List<Finding> f = findings(v, at(900));
        assertThat(f).extracting(Finding::code).containsExactly(FindingCode.UnreachablePrimary);
        assertThat(f.get(0).pending()).isFalse();
        assertThat(f.get(0).detail()).contains("2 still receive from it").contains("the manager alone is cut off");
        assertThat(f.get(0).votes()).extracting(Vote::verdict).containsExactly(Vote.Verdict.CONFIRMS_DEAD,
                Vote.Verdict.SEES_ALIVE, Vote.Verdict.SEES_ALIVE);
        assertThat(Planner.decide(f.get(0), v, at(900))).isInstanceOf(Decision.Skip.class);
    }

    @Test
    void oneReplicaThatStillReceivesVetoesTheFailover() {
        ClusterView v = new Views().of(healthy(), deadAt(100, connecting(R1, 2, 100, "1-100"),
                replica(R2, 3, 100, "1-100").silentFor(Duration.ofMillis(100)).build()));
        assertThat(findings(v, at(1000))).extracting(Finding::code).containsExactly(FindingCode.UnreachablePrimary);
    }

    @Test
    void aHungPrimaryIsConfirmedByReplicasThatHearNothingFromTheSecondTimedOutProbeOn() {
        ClusterView once = new Views().of(silentSince(1100, 1200), clusterAt(at(500), unreachable(P,
                Reachability.TIMEOUT, at(500)),
                replica(R1, 2, 500, "1-100").silentFor(Duration.ofMillis(1600)).build(),
                replica(R2, 3, 500, "1-100").silentFor(Duration.ofMillis(1700)).build()));
        Finding first = findings(once, at(1100)).get(0);
        assertThat(first.code()).as("one timed-out probe is not evidence").isEqualTo(FindingCode.UnreachablePrimary);
        assertThat(first.pending()).isTrue();
        assertThat(first.detail()).contains("one timed-out probe is not evidence yet");
        assertThat(Planner.decide(first, once, at(1100))).isInstanceOf(Decision.Wait.class);

        ClusterView v = new Views().of(silentSince(1100, 1200), clusterAt(at(500), unreachable(P,
                        Reachability.TIMEOUT, at(500)),
                        replica(R1, 2, 500, "1-100").silentFor(Duration.ofMillis(1600)).build(),
                        replica(R2, 3, 500, "1-100").silentFor(Duration.ofMillis(1700)).build()),
                clusterAt(at(550), unreachable(P, Reachability.TIMEOUT, at(550)),
                        replica(R1, 2, 550, "1-100").silentFor(Duration.ofMillis(1650)).build(),
                        replica(R2, 3, 550, "1-100").silentFor(Duration.ofMillis(1750)).build()));
        assertThat(findings(v, at(700)).get(0).code()).as("the window counts from the second probe")
                .isEqualTo(FindingCode.UnreachablePrimary);
        Finding f = findings(v, at(800)).get(0);
        assertThat(f.code()).isEqualTo(FindingCode.DeadPrimary);
        assertThat(f.votes().get(0).saw()).contains("2 failed probes");
        assertThat(f.votes().get(1).saw()).containsPattern("nothing received for 1\\.8\\d\\d s \\(limit 1\\.500 s, heartbeat period 500 ms\\)");
        assertThat(Planner.decide(f, v, at(800))).isInstanceOf(Decision.Act.class);
    }

    @Test
    void aPrimaryThatCannotCommitIsHandledLikeADeadOne() {
        var stuck = dev.warden.model.HeartbeatWrite.failed(dev.warden.model.HeartbeatWrite.Outcome.TIMED_OUT, 1,
                at(100), "timeout");
        ClusterView v = new Views().of(silentSince(1500, 1500),
                clusterAt(at(100), server(P).id(1).gtid(U + ":1-100").at(at(100)).write(stuck).build(),
                        replica(R1, 2, 100, "1-100").silentFor(Duration.ofMillis(1600)).build()),
                clusterAt(at(400), server(P).id(1).gtid(U + ":1-100").at(at(400)).write(stuck).build(),
                        replica(R1, 2, 400, "1-100").silentFor(Duration.ofMillis(1900)).build()));
        Finding f = findings(v, at(400)).get(0);
        assertThat(f.code()).isEqualTo(FindingCode.PrimaryNotWriting);
        assertThat(f.pending()).isFalse();
        assertThat(Planner.decide(f, v, at(400))).isInstanceOf(Decision.Act.class);
    }

    @Test
    void aDeadPrimaryWithSomeReplicasUnreachableFailsOverAmongTheOthers() {
        ClusterView v = new Views().of(healthy(), deadAt(100, connecting(R1, 2, 100, "1-100"),
                unreachable(R2, Reachability.TIMEOUT, at(100))), deadAt(400, connecting(R1, 2, 400, "1-100"),
                unreachable(R2, Reachability.TIMEOUT, at(400))));
        Finding f = findings(v, at(400)).get(0);
        assertThat(f.code()).isEqualTo(FindingCode.DeadPrimaryAndSomeReplicas);
        Plan plan = ((Decision.Act) Planner.decide(f, v, at(400))).plan();
        assertThat(plan.candidate()).isEqualTo(InstanceKey.parse(R1));
        assertThat(plan.leftBehind()).extracting(Plan.Reasoned::server).containsExactly(InstanceKey.parse(R2));
        assertThat(plan.excluded()).extracting(Plan.Reasoned::reason).containsExactly("unreachable (timeout)");
    }

    @Test
    void withEveryReplicaUnreachableNothingCanBeConfirmed() {
        ClusterView v = new Views().of(healthy(), clusterAt(at(400), unreachable(P, Reachability.TIMEOUT, at(400)),
                unreachable(R1, Reachability.TIMEOUT, at(400)), unreachable(R2, Reachability.TIMEOUT, at(400))));
        List<Finding> f = findings(v, at(1000));
        assertThat(f).extracting(Finding::code).containsExactly(FindingCode.UnreachablePrimary);
        assertThat(f.get(0).detail()).contains("no replica can confirm");
        assertThat(Planner.decide(f.get(0), v, at(1000))).isInstanceOf(Decision.Skip.class);
    }

    @Test
    void aPrimaryWithoutReplicasIsReportedNotFailedOver() {
        ClusterView v = new Views().of(clusterAt(at(0), primary(0, "1-5")),
                clusterAt(at(400), unreachable(P, Reachability.REFUSED, at(400))));
        Finding f = findings(v, at(700)).get(0);
        assertThat(f.code()).isEqualTo(FindingCode.DeadPrimaryWithoutReplicas);
        assertThat(Planner.decide(f, v, at(700))).isInstanceOf(Decision.Skip.class);
    }

    // ---- why a failover is skipped -------------------------------------------------------------------

    static ClusterView confirmedDead(Views views) {
        return views.of(healthy(), deadAt(100, connecting(R1, 2, 100, "1-100"), connecting(R2, 3, 100, "1-100")),
                deadAt(400, connecting(R1, 2, 400, "1-100"), connecting(R2, 3, 400, "1-100")));
    }

    static String skipReason(ClusterView v) {
        Decision d = decide(v, at(400));
        assertThat(d).isInstanceOf(Decision.Skip.class);
        return ((Decision.Skip) d).reason();
    }

    @Test
    void maintenanceSkips() {
        assertThat(skipReason(confirmedDead(new Views().controls(ClusterControls.NONE.withMaintenance(true)))))
                .startsWith("cluster test is in maintenance");
        assertThat(skipReason(confirmedDead(new Views().controls(ClusterControls.NONE.withServerMaintenance(
                InstanceKey.parse(P), true))))).startsWith("primary 10.0.0.1:3306 is in maintenance");
    }

    @Test
    void antiFlapSkipsUntilAcknowledged() {
        FailoverRecord last = new FailoverRecord("op-1", InstanceKey.parse("10.0.0.9:3306"), InstanceKey.parse(P),
                at(-60_000));
        ClusterControls blocked = ClusterControls.NONE.afterFailover(last, at(540_000));
        assertThat(skipReason(confirmedDead(new Views().controls(blocked)))).startsWith("anti-flap")
                .contains("warden ack");
        assertThat(decide(confirmedDead(new Views().controls(blocked.acknowledged())), at(400)))
                .isInstanceOf(Decision.Act.class);
        assertThat(decide(confirmedDead(new Views().controls(blocked)), at(600_000))).as("after the period")
                .isInstanceOf(Decision.Act.class);
    }

    @Test
    void automaticFailoverCanBeTurnedOff() {
        var p = Views.POLICY;
        var manual = new dev.warden.config.FailoverPolicy(false, p.confirmationWindow(), p.replicaSilence(),
                p.maxCandidateLag(), p.lagWarning(), p.antiFlap(), p.rejoinOldPrimary(), p.fenceTimeout(),
                p.catchUpTimeout(), p.promoteTimeout(), p.repointTimeout());
        assertThat(skipReason(confirmedDead(new Views().policy(manual)))).startsWith("automatic failover is off");
    }

    @Test
    void everyExclusionIsNamedWhenNoReplicaCanBePromoted() {
        ClusterView v = new Views().rule(R1, PromotionRule.MUST_NOT, 0).of(healthy(),
                deadAt(100, connecting(R1, 2, 100, "1-100"),
                        replica(R2, 3, 100, "1-100").threads(ThreadState.CONNECTING, ThreadState.STOPPED)
                                .sqlError(1062, "Duplicate entry").build()),
                deadAt(400, connecting(R1, 2, 400, "1-100"),
                        replica(R2, 3, 400, "1-100").threads(ThreadState.CONNECTING, ThreadState.STOPPED)
                                .sqlError(1062, "Duplicate entry").build()));
        assertThat(skipReason(v)).startsWith("no replica of 10.0.0.1:3306 can be promoted")
                .contains("10.0.0.2:3306 (promotion rule must_not)")
                .contains("10.0.0.3:3306 (SQL thread stopped on error 1062: Duplicate entry)");
    }

    @Test
    void candidatesWithErrantTransactionsLagOldVersionsOrBadSettingsAreExcluded() {
        var noLogUpdates = new dev.warden.model.ReplicationSettings(true, "ROW", false, "ON", true, false);
        String other = "8a94f357-aab4-11df-86ab-c80aa9429563";
        var e1 = server("10.0.0.4:3306").id(4).replicaOf(P).gtid(U + ":1-100," + other + ":1-2")
                .threads(ThreadState.CONNECTING, ThreadState.RUNNING).at(at(400)).build();
        // Relative lag once the primary is gone: its last applied heartbeat is 120 s older than the others'.
        var e2 = replica("10.0.0.5:3306", 5, 400, "1-100").threads(ThreadState.CONNECTING, ThreadState.RUNNING)
                .heartbeat(1, 10, dev.warden.testing.Snapshots.T0.minusSeconds(120)).build();
        var e3 = replica("10.0.0.6:3306", 6, 400, "1-100").threads(ThreadState.CONNECTING, ThreadState.RUNNING)
                .settings(noLogUpdates).build();
        var e4 = replica("10.0.0.7:3306", 7, 400, "1-100").threads(ThreadState.CONNECTING, ThreadState.RUNNING)
                .version(dev.warden.model.ServerVersion.of(dev.warden.model.Flavor.MYSQL, 8, 0, 11)).build();
        var ok = replica(R1, 2, 400, "1-100").threads(ThreadState.CONNECTING, ThreadState.RUNNING)
                .heartbeat(1, 130, dev.warden.testing.Snapshots.T0).build();
        ClusterView v = new Views().of(clusterAt(at(0), primary(0, "1-100")),
                clusterAt(at(100), unreachable(P, Reachability.REFUSED, at(100))),
                clusterAt(at(400), unreachable(P, Reachability.REFUSED, at(400)), ok, e1, e2, e3, e4));
        Plan plan = ((Decision.Act) decide(v, at(400))).plan();
        assertThat(plan.candidate()).isEqualTo(InstanceKey.parse(R1));
        assertThat(plan.excluded()).extracting(Plan.Reasoned::toString).containsExactlyInAnyOrder(
                "10.0.0.4:3306 (2 errant transaction(s): " + other + ":1-2)",
                "10.0.0.5:3306 (its last applied heartbeat is 120.000 s older than the newest one known, over the "
                        + "limit of 60.000 s)",
                "10.0.0.6:3306 (log_replica_updates off: replicas could not get what it replicated)",
                "10.0.0.7:3306 (MySQL 8.0.11 is older than MySQL 8.0.15 on another candidate)");
    }

    @Test
    void rankingPrefersTheMostDataThenThePromotionRuleThenPriority() {
        ClusterView tie = new Views().rule(R1, PromotionRule.NEUTRAL, 50).rule(R2, PromotionRule.PREFER, 0)
                .of(healthy(), deadAt(100, connecting(R1, 2, 100, "1-100"), connecting(R2, 3, 100, "1-100")),
                        deadAt(400, connecting(R1, 2, 400, "1-100"), connecting(R2, 3, 400, "1-100")));
        assertThat(((Decision.Act) decide(tie, at(400))).plan().candidate()).as("prefer beats priority")
                .isEqualTo(InstanceKey.parse(R2));
        ClusterView byPriority = new Views().rule(R1, PromotionRule.NEUTRAL, 0).rule(R2, PromotionRule.NEUTRAL, 7)
                .of(healthy(), deadAt(100, connecting(R1, 2, 100, "1-100"), connecting(R2, 3, 100, "1-100")),
                        deadAt(400, connecting(R1, 2, 400, "1-100"), connecting(R2, 3, 400, "1-100")));
        assertThat(((Decision.Act) decide(byPriority, at(400))).plan().candidate()).isEqualTo(InstanceKey.parse(R2));
        ClusterView moreData = new Views().rule(R2, PromotionRule.PREFER, 100)
                .of(healthy(), deadAt(100, connecting(R1, 2, 100, "1-100"), connecting(R2, 3, 100, "1-99")),
                        deadAt(400, connecting(R1, 2, 400, "1-100"), connecting(R2, 3, 400, "1-99")));
        Plan plan = ((Decision.Act) decide(moreData, at(400))).plan();
        assertThat(plan.candidate()).as("data beats prefer").isEqualTo(InstanceKey.parse(R1));
        assertThat(plan.why()).contains("(0 known transaction(s) missing)");
    }

    @Test
    void aReplicaThatAppliedMoreThanTheCandidateIsLeftBehindNotRepointed() {
        ClusterView v = new Views().rule(R2, PromotionRule.MUST_NOT, 0).of(healthy(),
                deadAt(100, connecting(R1, 2, 100, "1-98"), connecting(R2, 3, 100, "1-100")),
                deadAt(400, connecting(R1, 2, 400, "1-98"), connecting(R2, 3, 400, "1-100")));
        Plan plan = ((Decision.Act) decide(v, at(400))).plan();
        assertThat(plan.candidate()).isEqualTo(InstanceKey.parse(R1));
        assertThat(plan.steps()).noneMatch(s -> s instanceof Repoint);
        assertThat(plan.leftBehind()).extracting(Plan.Reasoned::toString)
                .containsExactly("10.0.0.3:3306 (applied 2 transaction(s) the new primary lacks (" + U + ":99-100))");
        assertThat(plan.knownMissing()).isEqualTo(2);
    }

    // ---- other findings -----------------------------------------------------------------------------------

    @Test
    void replicaProblemsAreReported() {
        String other = "8a94f357-aab4-11df-86ab-c80aa9429563";
        ClusterView v = new Views().of(clusterAt(at(0), primary(0, "1-100"),
                replica(R1, 2, 0, "1-100").readOnly(dev.warden.model.ReadOnlyState.WRITABLE).build(),
                server(R2).id(3).replicaOf(P).gtid(U + ":1-100," + other + ":5").sqlError(1032, "Can't find record")
                        .build(),
                replica("10.0.0.4:3306", 4, 0, "1-100").threads(ThreadState.STOPPED, ThreadState.RUNNING).build(),
                replica("10.0.0.5:3306", 5, 0, "1-100").secondsBehind(30L).build(),
                server("10.0.0.6:3306").id(6).replicaOf("10.9.9.9:3306").gtid(U + ":1-100").build()));
        assertThat(findings(v, at(10))).extracting(f -> f.code() + " " + f.server()).containsExactly(
                "ErrantGtid 10.0.0.3:3306",
                "ReplicationBroken 10.0.0.3:3306",
                "ReplicaWritable 10.0.0.2:3306",
                "ReplicaOfWrongSource 10.0.0.6:3306",
                "ReplicationStopped 10.0.0.4:3306",
                "ReplicaLagging 10.0.0.5:3306");
    }

    @Test
    void twoWritablePrimariesAndAReadOnlyPrimary() {
        ClusterView two = new Views().of(clusterAt(at(0), primary(0, "1-3"), server(R1).id(2).gtid(U + ":1-3")
                .build()));
        assertThat(findings(two, at(1))).extracting(Finding::code).containsExactly(FindingCode.TwoWritablePrimaries);
        ClusterView ro = new Views().of(clusterAt(at(0), server(P).id(1).readOnly(
                dev.warden.model.ReadOnlyState.SUPER_READ_ONLY).gtid(U + ":1").build(), replica(R1, 2, 0, "1").build()));
        assertThat(findings(ro, at(1))).extracting(Finding::code).containsExactly(FindingCode.PrimaryReadOnly);
    }

    @Test
    void replicasAheadOfTheLastSeenPrimaryStateAreNotErrant() {
        // The primary's own UUID: what replicas have beyond its last-seen state came from it.
        String own = "00000000-0000-0000-0000-000000000001";
        ClusterView v = new Views().of(
                clusterAt(at(0), server(P).id(1).gtid(own + ":1-100").build(),
                        server(R1).id(2).replicaOf(P).gtid(own + ":1-100").build()),
                clusterAt(at(100), unreachable(P, Reachability.TIMEOUT, at(100)),
                        server(R1).id(2).replicaOf(P).gtid(own + ":1-130").at(at(100))
                                .threads(ThreadState.CONNECTING, ThreadState.RUNNING).build()),
                clusterAt(at(400), unreachable(P, Reachability.TIMEOUT, at(400)),
                        server(R1).id(2).replicaOf(P).gtid(own + ":1-130").at(at(400))
                                .threads(ThreadState.CONNECTING, ThreadState.RUNNING).build()));
        assertThat(findings(v, at(700))).extracting(Finding::code).containsExactly(FindingCode.DeadPrimary);
        Plan plan = ((Decision.Act) decide(v, at(700))).plan();
        assertThat(plan.candidate()).isEqualTo(InstanceKey.parse(R1));
        assertThat(plan.excluded()).isEmpty();
    }

    @Test
    void aMariaDbReplicasOwnWritesNeitherCountAsDataNorLeaveItBehind() {
        var primary = server(P).mariadb().id(1).gtid("0-1-30").binlogState("0-1-30").build();
        var errant = server(R1).mariadb().id(2).replicaOf(P).gtid("0-1-30,9-2-1").binlogState("0-1-30,9-2-1")
                .received("0-1-30,9-2-1");
        var clean = server(R2).mariadb().id(3).replicaOf(P).gtid("0-1-30").binlogState("0-1-30");
        ClusterView v = new Views().of(clusterAt(at(0), primary, errant.build(), clean.build()),
                clusterAt(at(100), unreachable(P, Reachability.REFUSED, at(100)),
                        errant.at(at(100)).threads(ThreadState.CONNECTING, ThreadState.RUNNING).build(),
                        clean.at(at(100)).threads(ThreadState.CONNECTING, ThreadState.RUNNING).build()),
                clusterAt(at(400), unreachable(P, Reachability.REFUSED, at(400)),
                        errant.at(at(400)).build(), clean.at(at(400)).build()));
        Plan plan = ((Decision.Act) decide(v, at(400))).plan();
        assertThat(plan.candidate()).isEqualTo(InstanceKey.parse(R2));
        assertThat(plan.knownMissing()).isZero();
        assertThat(plan.leftBehind()).isEmpty();
        assertThat(plan.steps()).anySatisfy(st -> assertThat(st).isInstanceOf(Repoint.class));
    }

    @Test
    void anOldPrimaryThatStaysDeadDoesNotHideTheNextPrimarysFailure() {
        ClusterView v = new Views().of(healthy(),
                clusterAt(at(100), unreachable(P, Reachability.REFUSED, at(100)), server(R1).id(2).gtid(U + ":1-100")
                        .at(at(100)).build(), replica(R2, 3, 100, "1-100").build()),
                clusterAt(at(200), unreachable(P, Reachability.REFUSED, at(200)), server(R1).id(2).gtid(U + ":1-100")
                        .at(at(200)).build(), server(R2).id(3).replicaOf(R1).gtid(U + ":1-100").at(at(200)).build()));
        assertThat(v.topology().primary().orElseThrow().key()).isEqualTo(InstanceKey.parse(R1));
        assertThat(v.topology().nodes().get(InstanceKey.parse(P)).role()).isEqualTo(dev.warden.topology.Role.UNKNOWN);
    }
}
