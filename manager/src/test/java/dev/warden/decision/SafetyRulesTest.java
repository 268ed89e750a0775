package dev.warden.decision;

import static dev.warden.decision.Views.at;
import static dev.warden.testing.Snapshots.T0;
import static dev.warden.testing.Snapshots.clusterAt;
import static dev.warden.testing.Snapshots.server;
import static dev.warden.testing.Snapshots.unreachable;
import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.model.HeartbeatWrite;
import dev.warden.model.InstanceKey;
import dev.warden.model.InstanceSnapshot;
import dev.warden.model.Reachability;
import dev.warden.model.ReadOnlyState;
import dev.warden.model.ThreadState;
import dev.warden.plan.CatchUp;
import dev.warden.plan.FenceOldPrimary;
import dev.warden.plan.Plan;
import dev.warden.plan.PlanKind;
import dev.warden.plan.Repoint;
import dev.warden.plan.SetHeartbeatPeriod;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The safety rules as decision tables: votes mean what they say, candidates are judged among candidates, lag after a
 * death is relative, fences hold whatever else happens, hung-primary evidence survives the re-check.
 */
class SafetyRulesTest {

    static final String U = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
    static final String P = "10.0.0.1:3306";
    static final String R1 = "10.0.0.2:3306";
    static final String R2 = "10.0.0.3:3306";

    static dev.warden.testing.Snapshots.Server replica(String addr, long id, long ms) {
        return server(addr).id(id).replicaOf(P).gtid(U + ":1-100").at(at(ms));
    }

    static InstanceSnapshot healthyPrimary(long ms) {
        return server(P).id(1).gtid(U + ":1-100").at(at(ms)).build();
    }

    static List<FindingCode> codes(ClusterView v, long ms) {
        return Analyzer.analyze(v, at(ms)).stream().map(Finding::code).toList();
    }

    static Finding top(ClusterView v, long ms) {
        return Analyzer.analyze(v, at(ms)).get(0);
    }

    // ---- votes ------------------------------------------------------------------------------------------

    @Test
    void aSilentReplicaWithALongHeartbeatPeriodAbstains() {
        ClusterView v = new Views().of(
                clusterAt(at(0), healthyPrimary(0), replica(R1, 2, 0).build(), replica(R2, 3, 0).build()),
                clusterAt(at(2000), unreachable(P, Reachability.REFUSED, at(2000)),
                        replica(R1, 2, 2000).heartbeatPeriod(Duration.ofSeconds(30)).silentFor(Duration.ofSeconds(5))
                                .build(),
                        replica(R2, 3, 2000).heartbeatPeriod(null).silentFor(Duration.ofSeconds(5)).build()),
                clusterAt(at(2300), unreachable(P, Reachability.REFUSED, at(2300)),
                        replica(R1, 2, 2300).heartbeatPeriod(Duration.ofSeconds(30)).silentFor(Duration.ofSeconds(5))
                                .build(),
                        replica(R2, 3, 2300).heartbeatPeriod(null).silentFor(Duration.ofSeconds(5)).build()));
        Finding f = top(v, 2600);
        assertThat(f.code()).isEqualTo(FindingCode.UnreachablePrimary);
        assertThat(f.detail()).contains("no replica can confirm");
        assertThat(f.votes()).extracting(Vote::verdict).containsExactly(Vote.Verdict.CONFIRMS_DEAD,
                Vote.Verdict.ABSTAINS, Vote.Verdict.ABSTAINS);
        assertThat(f.votes().get(1).saw()).contains("heartbeat period 30 s is too long");
        assertThat(f.votes().get(2).saw()).contains("heartbeat period is unknown");
        assertThat(codes(v, 2600)).contains(FindingCode.HeartbeatPeriodTooLong);
    }

    @Test
    void aHeartbeatPeriodMustBeUnderHalfTheSilenceLimit() {
        Duration limit = Duration.ofMillis(1500);
        assertThat(PrimaryAssessment.silenceMeansSomething(Duration.ofMillis(500), limit)).isTrue();
        assertThat(PrimaryAssessment.silenceMeansSomething(Duration.ofMillis(750), limit)).isFalse();
        assertThat(PrimaryAssessment.silenceMeansSomething(Duration.ofSeconds(30), limit)).isFalse();
        assertThat(PrimaryAssessment.silenceMeansSomething(null, limit)).isFalse();
    }

    @Test
    void anIoThreadRefusedByItsSourceProvesItAlive() {
        for (int errno : new int[] {1045, 1040, 2026, 1236}) {
            ClusterView v = new Views().of(
                    clusterAt(at(0), healthyPrimary(0), replica(R1, 2, 0).build()),
                    clusterAt(at(100), unreachable(P, Reachability.TIMEOUT, at(100)),
                            replica(R1, 2, 100).threads(ThreadState.CONNECTING, ThreadState.RUNNING)
                                    .ioError(errno, "refused by the source").build()),
                    clusterAt(at(700), unreachable(P, Reachability.TIMEOUT, at(700)),
                            replica(R1, 2, 700).threads(ThreadState.CONNECTING, ThreadState.RUNNING)
                                    .ioError(errno, "refused by the source").build()));
            Finding f = top(v, 1500);
            assertThat(f.code()).as("IO error " + errno).isEqualTo(FindingCode.UnreachablePrimary);
            assertThat(f.votes().get(1).verdict()).isEqualTo(Vote.Verdict.ABSTAINS);
            assertThat(f.votes().get(1).saw()).contains("its source answered it");
        }
    }

    @Test
    void theManagersRefusedLoginOrTooManyConnectionsIsNoDeadVote() {
        for (Reachability r : new Reachability[] {Reachability.AUTH_FAILED, Reachability.SERVER_ERROR}) {
            ClusterView v = new Views().of(
                    clusterAt(at(0), healthyPrimary(0), replica(R1, 2, 0).build()),
                    clusterAt(at(100), unreachable(P, r, at(100)), replica(R1, 2, 100)
                            .threads(ThreadState.CONNECTING, ThreadState.RUNNING).ioError(2003, "can't connect").build()),
                    clusterAt(at(900), unreachable(P, r, at(900)), replica(R1, 2, 900)
                            .threads(ThreadState.CONNECTING, ThreadState.RUNNING).ioError(2003, "can't connect").build()));
            Finding f = top(v, 1500);
            assertThat(f.code()).as(r.name()).isEqualTo(FindingCode.UnreachablePrimary);
            assertThat(f.votes().get(0).verdict()).isEqualTo(Vote.Verdict.SEES_ALIVE);
            assertThat(f.detail()).contains("no sign of death");
            assertThat(Planner.decide(f, v, at(1500))).isInstanceOf(Decision.Skip.class);
        }
    }

    // ---- the hung primary ---------------------------------------------------------------------------

    @Test
    void aStuckWriteIsKeptByAProbeWithoutAWriteAndClearedOnlyByOneThatCommits() {
        HeartbeatWrite stuck = HeartbeatWrite.failed(HeartbeatWrite.Outcome.TIMED_OUT, 1, at(100), "timeout");
        ClusterHistory h = ClusterHistory.EMPTY
                .next(clusterAt(at(100), server(P).id(1).at(at(100)).write(stuck).build()))
                .next(clusterAt(at(600), server(P).id(1).at(at(600)).build()));
        assertThat(h.of(InstanceKey.parse(P)).writeStuckSince()).as("the re-check under the lock writes nothing")
                .isEqualTo(at(100));
        h = h.next(clusterAt(at(900), server(P).id(1).at(at(900))
                .write(HeartbeatWrite.written(1, 7, at(900), at(901))).build()));
        assertThat(h.of(InstanceKey.parse(P)).writeStuckSince()).isNull();
    }

    @Test
    void aStuckWriteWhileReplicasStillReceiveIsBlockedNotHungAndNeverFailedOver() {
        HeartbeatWrite stuck = HeartbeatWrite.failed(HeartbeatWrite.Outcome.TIMED_OUT, 1, at(100), "timeout");
        ClusterView v = new Views().of(
                clusterAt(at(100), server(P).id(1).gtid(U + ":1-100").at(at(100)).write(stuck).build(),
                        replica(R1, 2, 100).silentFor(Duration.ofMillis(100)).build(),
                        replica(R2, 3, 100).silentFor(Duration.ofMillis(100)).build()),
                clusterAt(at(900), server(P).id(1).gtid(U + ":1-100").at(at(900)).write(stuck).build(),
                        replica(R1, 2, 900).silentFor(Duration.ofMillis(100)).build(),
                        replica(R2, 3, 900).silentFor(Duration.ofMillis(100)).build()));
        List<Finding> found = Analyzer.analyze(v, at(1000));
        assertThat(found).extracting(Finding::code).contains(FindingCode.PrimaryWritesBlocked)
                .doesNotContain(FindingCode.PrimaryNotWriting, FindingCode.DeadPrimary);
        Finding f = found.stream().filter(x -> x.code() == FindingCode.PrimaryWritesBlocked).findFirst().orElseThrow();
        assertThat(f.detail()).contains("2/2 replicas still receive from it: it is alive");
        assertThat(Planner.decide(f, v, at(1000))).isInstanceOf(Decision.Skip.class);
        // Every finding that calls for a failover is either confirmed or pending.
        for (Finding x : found) {
            assertThat(x.code().primaryGone()).as(x.sentence()).isFalse();
        }
    }

    // ---- candidates -----------------------------------------------------------------------------------

    static ClusterView dead(InstanceSnapshot... replicas) {
        InstanceSnapshot[] first = new InstanceSnapshot[replicas.length + 1];
        InstanceSnapshot[] second = new InstanceSnapshot[replicas.length + 1];
        first[0] = unreachable(P, Reachability.REFUSED, at(100));
        second[0] = unreachable(P, Reachability.REFUSED, at(400));
        System.arraycopy(replicas, 0, first, 1, replicas.length);
        System.arraycopy(replicas, 0, second, 1, replicas.length);
        InstanceSnapshot[] healthy = new InstanceSnapshot[replicas.length + 1];
        healthy[0] = healthyPrimary(0);
        for (int i = 0; i < replicas.length; i++) {
            healthy[i + 1] = server(replicas[i].key().toString()).id(replicas[i].state().serverId()).replicaOf(P)
                    .gtid(U + ":1-100").build();
        }
        return new Views().rule(R1, dev.warden.model.PromotionRule.PREFER, 0)
                .of(clusterAt(at(0), healthy), clusterAt(at(100), first), clusterAt(at(400), second));
    }

    static dev.warden.testing.Snapshots.Server lost(String addr, long id) {
        return replica(addr, id, 400).threads(ThreadState.CONNECTING, ThreadState.RUNNING)
                .ioError(2003, "can't connect");
    }

    static Plan plan(ClusterView v) {
        Decision d = Planner.decide(top(v, 700), v, at(700));
        assertThat(d).as(d.sentence()).isInstanceOf(Decision.Act.class);
        return ((Decision.Act) d).plan();
    }

    @Test
    void delayedFilteredAndMultiChannelReplicasAreNeverPromoted() {
        String r3 = "10.0.0.4:3306";
        String r4 = "10.0.0.5:3306";
        ClusterView v = dead(lost(R1, 2).delay(3600).build(), lost(R2, 3).filter("Replicate_Ignore_DB", "x").build(),
                lost(r3, 4).channel("reporting", "10.9.9.9:3306").build(), lost(r4, 5).build());
        Plan p = plan(v);
        assertThat(p.candidate()).isEqualTo(InstanceKey.parse(r4));
        assertThat(p.excluded()).extracting(Plan.Reasoned::toString).containsExactlyInAnyOrder(
                R1 + " (a delayed replica (applies 3600 s behind its source): never promoted)",
                R2 + " (replication filters (Replicate_Ignore_DB=x): it may lack data; never promoted)",
                r3 + " (also replicates on channel 'reporting' from 10.9.9.9:3306: never promoted)");
    }

    @Test
    void aNewerVersionOnAReplicaThatCannotBePromotedExcludesNobody() {
        var newer = dev.warden.model.ServerVersion.of(dev.warden.model.Flavor.MYSQL, 8, 0, 40);
        ClusterView v = dead(lost(R1, 2).build(), lost(R2, 3).version(newer).delay(60).build());
        Plan p = plan(v);
        assertThat(p.candidate()).isEqualTo(InstanceKey.parse(R1));
        assertThat(p.excluded()).extracting(Plan.Reasoned::server).containsExactly(InstanceKey.parse(R2));
    }

    @Test
    void afterTheDeathLagIsRelativeToTheOtherReplicasAndTheLastKnownHeartbeat() {
        // Every replica applied heartbeats up to the primary's death an hour ago: none is "an hour behind".
        ClusterView v = dead(lost(R1, 2).heartbeat(1, 500, T0.minusSeconds(3600)).secondsBehind(3600L).build(),
                lost(R2, 3).heartbeat(1, 400, T0.minusSeconds(3700)).build());
        Plan p = plan(v);
        assertThat(p.candidate()).isEqualTo(InstanceKey.parse(R1));
        assertThat(p.excluded()).extracting(Plan.Reasoned::toString).containsExactly(R2 + " (its last applied "
                + "heartbeat is 100.000 s older than the newest one known, over the limit of 60.000 s)");
        Map<InstanceKey, Duration> rel = Candidates.relativeLag(v.topology().replicas(), 1, null);
        assertThat(rel).containsEntry(InstanceKey.parse(R1), Duration.ZERO)
                .containsEntry(InstanceKey.parse(R2), Duration.ofSeconds(100));
    }

    @Test
    void replicasArePointedAtTheAddressTheCandidateReports() {
        ClusterView v = dead(lost(R1, 2).reports("db2.internal:3306").build(), lost(R2, 3).build());
        Plan p = plan(v);
        Repoint r = p.steps().stream().filter(s -> s instanceof Repoint).map(s -> (Repoint) s).findFirst()
                .orElseThrow();
        assertThat(r.newSource()).isEqualTo(InstanceKey.parse(R1));
        assertThat(r.sourceAddress()).isEqualTo(InstanceKey.parse("db2.internal:3306"));
    }

    @Test
    void aForcedFailoverGoesOnPastTheCatchUpTimeoutAndAnAutomaticOneDoesNot() {
        ClusterView v = dead(lost(R1, 2).build(), lost(R2, 3).build());
        CatchUp automatic = (CatchUp) plan(v).steps().stream().filter(s -> s instanceof CatchUp).findFirst()
                .orElseThrow();
        assertThat(automatic.force()).isFalse();
        Decision forced = Planner.manual(top(v, 700), v, at(700), "operator", true);
        CatchUp c = (CatchUp) ((Decision.Act) forced).plan().steps().stream().filter(s -> s instanceof CatchUp)
                .findFirst().orElseThrow();
        assertThat(c.force()).isTrue();
    }

    @Test
    void aManagerThatLostItsStoreLockDoesNotAct() {
        ClusterView v = dead(lost(R1, 2).build(), lost(R2, 3).build());
        ClusterView blocked = new ClusterView(v.topology(), v.history(), v.controls(), v.policy(), Map.of(),
                Integrations.NONE, "the store's lock is held by another connection");
        Finding f = top(blocked, 700);
        assertThat(f.code()).isEqualTo(FindingCode.StoreLockLost);
        Finding dead = Analyzer.analyze(blocked, at(700)).stream().filter(x -> x.code().primaryGone()).findFirst()
                .orElseThrow();
        assertThat(Planner.decide(dead, blocked, at(700)).sentence()).contains("store's lock");
    }

    // ---- fencing and tuning ---------------------------------------------------------------------------

    @Test
    void aWritableOldPrimaryIsFencedAgainDuringMaintenance() {
        FailoverRecord rec = new FailoverRecord("op-1", InstanceKey.parse(P), InstanceKey.parse(R1), at(0));
        ClusterControls c = ClusterControls.NONE.afterFailover(rec, at(600_000)).withMaintenance(true)
                .withServerMaintenance(InstanceKey.parse(P), true);
        ClusterView v = new Views().controls(c).of(clusterAt(at(1000), server(P).id(1).gtid(U + ":1-100").build(),
                server(R1).id(2).gtid(U + ":1-100").build()));
        Aftercare a = Aftercare.of(v, at(1000));
        assertThat(a.plans()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(PlanKind.REFENCE);
            assertThat(p.steps().get(0)).isInstanceOf(FenceOldPrimary.class);
        });
    }

    @Test
    void replicasWithALongHeartbeatPeriodGetTheConfiguredOneWhileTheClusterIsCalm() {
        var integrations = new Integrations(java.util.Set.of(), false, Duration.ofMillis(500));
        ClusterView v = withIntegrations(new Views().of(clusterAt(at(0), healthyPrimary(0),
                replica(R1, 2, 0).heartbeatPeriod(Duration.ofSeconds(30)).build(),
                replica(R2, 3, 0).build())), integrations);
        List<Finding> findings = Analyzer.analyze(v, at(10));
        Plan p = HeartbeatTuning.plan(v, findings, Map.of(), at(10)).orElseThrow();
        assertThat(p.kind()).isEqualTo(PlanKind.CONFIGURE);
        assertThat(p.steps()).singleElement().satisfies(s -> {
            assertThat(s.server()).isEqualTo(InstanceKey.parse(R1));
            assertThat(((SetHeartbeatPeriod) s).period()).isEqualTo(Duration.ofMillis(500));
        });
        assertThat(HeartbeatTuning.plan(v, findings, Map.of(InstanceKey.parse(R1), at(0)), at(10))).as("retried later")
                .isEmpty();
        assertThat(HeartbeatTuning.plan(withIntegrations(v, Integrations.NONE), findings, Map.of(), at(10)))
                .as("left alone when not enforced").isEmpty();
        ClusterView lost = withIntegrations(new Views().of(clusterAt(at(0), unreachable(P, Reachability.REFUSED, at(0)),
                replica(R1, 2, 0).heartbeatPeriod(Duration.ofSeconds(30)).build())), integrations);
        assertThat(HeartbeatTuning.plan(lost, Analyzer.analyze(lost, at(10)), Map.of(), at(10)))
                .as("nothing is changed while the primary is in doubt").isEmpty();
    }

    static ClusterView withIntegrations(ClusterView v, Integrations i) {
        return new ClusterView(v.topology(), v.history(), v.controls(), v.policy(), v.configured(), i,
                v.managerProblem());
    }

    @Test
    void aResumedFailoverWaitsWhileTheOldPrimaryIsUnreachableAndStopsWhenItAnswers() {
        Plan plan = new Plan(PlanKind.FAILOVER, "main", "DeadPrimary", InstanceKey.parse(P), InstanceKey.parse(R1),
                "best", 0, List.of(), List.of(), List.of(new FenceOldPrimary(InstanceKey.parse(P), Duration.ofSeconds(1)),
                new CatchUp(InstanceKey.parse(R1), dev.warden.model.GtidSet.parse(U + ":1-100"), Duration.ofSeconds(1)),
                new dev.warden.plan.Promote(InstanceKey.parse(R1), Duration.ofSeconds(1))));
        List<Resumption.StepState> states = List.of(new Resumption.StepState(plan.steps().get(0), true),
                new Resumption.StepState(plan.steps().get(1), true), new Resumption.StepState(plan.steps().get(2), false));
        ClusterView answering = new Views().of(clusterAt(at(0), server(P).id(1).gtid(U + ":1-99")
                .readOnly(ReadOnlyState.SUPER_READ_ONLY).build(), replica(R1, 2, 0).build()));
        Resumption.Verdict v = Resumption.decide(plan, states, answering, Analyzer.analyze(answering, at(10)));
        assertThat(v).isInstanceOf(Resumption.Stop.class);
        assertThat(v.why()).contains("not confirmed now: it answers");
    }

    // ---- found by review: each failed on the code before its fix -------------------------------------

    @Test
    void aReplicaStillReadingALargeTransactionIsNoDeadVote() {
        // One large transaction saturates the primary's network: the manager's probes time out, and the replicas' own
        // measure (no heartbeat, no transaction completed) grows, but their read position moves with every event.
        ClusterView v = new Views().of(
                clusterAt(at(0), healthyPrimary(0), replica(R1, 2, 0).silentFor(Duration.ofMillis(1000))
                        .readPosition(1_000).build(), replica(R2, 3, 0).silentFor(Duration.ofMillis(1000))
                        .readPosition(1_000).build()),
                clusterAt(at(600), unreachable(P, Reachability.TIMEOUT, at(600)), replica(R1, 2, 600)
                        .silentFor(Duration.ofMillis(1600)).readPosition(60_000).build(), replica(R2, 3, 600)
                        .silentFor(Duration.ofMillis(1600)).readPosition(50_000).build()),
                clusterAt(at(1200), unreachable(P, Reachability.TIMEOUT, at(1200)), replica(R1, 2, 1200)
                        .silentFor(Duration.ofMillis(2200)).readPosition(120_000).build(), replica(R2, 3, 1200)
                        .silentFor(Duration.ofMillis(2200)).readPosition(100_000).build()),
                clusterAt(at(1800), unreachable(P, Reachability.TIMEOUT, at(1800)), replica(R1, 2, 1800)
                        .silentFor(Duration.ofMillis(2800)).readPosition(180_000).build(), replica(R2, 3, 1800)
                        .silentFor(Duration.ofMillis(2800)).readPosition(150_000).build()));
        List<Finding> f = Analyzer.analyze(v, at(2200));
        assertThat(f).extracting(Finding::code).doesNotContain(FindingCode.DeadPrimary,
                FindingCode.DeadPrimaryAndSomeReplicas);
        assertThat(f.get(0).votes()).extracting(Vote::verdict).containsExactly(Vote.Verdict.CONFIRMS_DEAD,
                Vote.Verdict.SEES_ALIVE, Vote.Verdict.SEES_ALIVE);
    }

    @Test
    void aSuperReadOnlyStillWaitingForItsLockIsWritable() {
        // MySQL shows super_read_only=1 and read_only=0 while SET GLOBAL super_read_only=ON waits for a table lock.
        assertThat(ReadOnlyState.of(false, true)).isEqualTo(ReadOnlyState.WRITABLE);
        assertThat(ReadOnlyState.of(true, true)).isEqualTo(ReadOnlyState.SUPER_READ_ONLY);
        assertThat(ReadOnlyState.of(true, false)).isEqualTo(ReadOnlyState.READ_ONLY);
    }

    @Test
    void aProbeStillInFlightIsOneFailedProbeNotMany() {
        // One probe timed out; the next cycles' stand-ins for the probe still in flight are not probes of their own.
        ClusterView v = new Views().of(
                clusterAt(at(0), healthyPrimary(0), lost(R1, 2).at(at(0)).build(), lost(R2, 3).at(at(0)).build()),
                clusterAt(at(500), unreachable(P, Reachability.TIMEOUT, at(500)), lost(R1, 2).at(at(500)).build(),
                        lost(R2, 3).at(at(500)).build()),
                clusterAt(at(550), awaiting(550), lost(R1, 2).at(at(550)).build(), lost(R2, 3).at(at(550)).build()),
                clusterAt(at(600), awaiting(600), lost(R1, 2).at(at(600)).build(), lost(R2, 3).at(at(600)).build()),
                clusterAt(at(650), awaiting(650), lost(R1, 2).at(at(650)).build(), lost(R2, 3).at(at(650)).build()),
                clusterAt(at(700), awaiting(700), lost(R1, 2).at(at(700)).build(), lost(R2, 3).at(at(700)).build()));
        Finding f = top(v, 1000);
        assertThat(f.code()).isEqualTo(FindingCode.UnreachablePrimary);
        assertThat(f.pending()).isTrue();
        assertThat(f.detail()).contains("one timed-out probe is not evidence yet");
    }

    static InstanceSnapshot awaiting(long ms) {
        return InstanceSnapshot.unreachable(InstanceKey.parse(P), at(ms), Duration.ZERO, Reachability.TIMEOUT,
                InstanceSnapshot.AWAITING_PREVIOUS + " after " + (ms - 500) + " ms");
    }

    @Test
    void aReplicaThatReceivedWhatTheNewPrimaryLacksKeepsItsRelayLog() {
        // R2 cannot be promoted (delayed) but received 5 transactions R1 lacks: re-pointing it would discard them.
        ClusterView v = dead(lost(R1, 2).build(), lost(R2, 3).delay(3600).received(U + ":1-105").build());
        Plan p = plan(v);
        assertThat(p.candidate()).isEqualTo(InstanceKey.parse(R1));
        assertThat(p.steps()).noneMatch(s -> s instanceof Repoint && s.server().equals(InstanceKey.parse(R2)));
        assertThat(p.leftBehind()).extracting(Plan.Reasoned::toString).singleElement().asString()
                .contains("received 5 transaction(s) the new primary lacks").contains("relay log keeps them");
    }

    @Test
    void anOldPrimaryOnlyReadOnlyIsFencedAgainToSuperReadOnly() {
        FailoverRecord rec = new FailoverRecord("op-1", InstanceKey.parse(P), InstanceKey.parse(R1), at(0));
        ClusterControls c = ClusterControls.NONE.afterFailover(rec, at(600_000));
        ClusterView v = new Views().controls(c).of(clusterAt(at(1000), server(P).id(1).gtid(U + ":1-100")
                .readOnly(ReadOnlyState.READ_ONLY).build(), server(R1).id(2).gtid(U + ":1-100").build()));
        assertThat(Aftercare.of(v, at(1000)).plans()).singleElement()
                .satisfies(p -> assertThat(p.kind()).isEqualTo(PlanKind.REFENCE));
    }

    @Test
    void aResumedFailoverWhoseFenceMadeTheOldPrimaryReadOnlyGivesItBackItsWrites() {
        Plan plan = new Plan(PlanKind.FAILOVER, "main", "PrimaryNotWriting", InstanceKey.parse(P),
                InstanceKey.parse(R1), "best", 0, List.of(), List.of(), List.of(new FenceOldPrimary(InstanceKey.parse(P),
                Duration.ofSeconds(1)), new CatchUp(InstanceKey.parse(R1), dev.warden.model.GtidSet.parse(U + ":1-100"),
                Duration.ofSeconds(1)), new dev.warden.plan.Promote(InstanceKey.parse(R1), Duration.ofSeconds(1))));
        List<Resumption.StepState> states = List.of(new Resumption.StepState(plan.steps().get(0), true, true),
                new Resumption.StepState(plan.steps().get(1), false), new Resumption.StepState(plan.steps().get(2),
                        false));
        ClusterView answering = new Views().of(clusterAt(at(0), server(P).id(1).gtid(U + ":1-100")
                .readOnly(ReadOnlyState.SUPER_READ_ONLY).build(), replica(R1, 2, 0).build()));
        Resumption.Verdict v = Resumption.decide(plan, states, answering, Analyzer.analyze(answering, at(10)));
        assertThat(v).isInstanceOf(Resumption.Restore.class);
        assertThat(((Resumption.Restore) v).server()).isEqualTo(InstanceKey.parse(P));
    }

    @Test
    void aPrimaryStartedAgainReadOnlyWithNothingPromotedGetsItsWritesBack() {
        // Killed and started again while no manager acted: read-only by its my.cnf, its replicas attached to it.
        InstanceSnapshot restarted = server(P).id(1).gtid(U + ":1-100").readOnly(ReadOnlyState.SUPER_READ_ONLY)
                .readOnlySinceStart(Duration.ofSeconds(40)).heartbeat(1, 77, T0.minusSeconds(45)).build();
        ClusterView v = new Views().of(clusterAt(at(0), restarted, replica(R1, 2, 0).build(),
                replica(R2, 3, 0).build()));
        assertThat(Aftercare.of(v, at(0)).plans()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(PlanKind.RESTORE);
            assertThat(p.steps()).singleElement().isInstanceOf(dev.warden.plan.MakeWritable.class);
        });
        // Not when a DBA set it read-only at run time, not a new cluster never written by Warden, not behind a replica.
        InstanceSnapshot setByHand = server(P).id(1).gtid(U + ":1-100").readOnly(ReadOnlyState.SUPER_READ_ONLY)
                .heartbeat(1, 77, T0.minusSeconds(45)).build();
        InstanceSnapshot neverPrimary = server(P).id(1).gtid(U + ":1-100").readOnly(ReadOnlyState.SUPER_READ_ONLY)
                .readOnlySinceStart(Duration.ofSeconds(40)).build();
        InstanceSnapshot lostItsTail = server(P).id(1).gtid(U + ":1-99").readOnly(ReadOnlyState.SUPER_READ_ONLY)
                .readOnlySinceStart(Duration.ofSeconds(40)).heartbeat(1, 77, T0.minusSeconds(45)).build();
        for (InstanceSnapshot p : List.of(setByHand, neverPrimary, lostItsTail)) {
            ClusterView no = new Views().of(clusterAt(at(0), p, replica(R1, 2, 0).build(), replica(R2, 3, 0).build()));
            assertThat(Aftercare.of(no, at(0)).plans()).isEmpty();
        }
    }
}
