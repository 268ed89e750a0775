package dev.warden.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.actions.Operation;
import dev.warden.actions.StepRecord;
import dev.warden.actions.StepStatus;
import dev.warden.config.StoreSettings;
import dev.warden.decision.ClusterControls;
import dev.warden.decision.FailoverRecord;
import dev.warden.decision.Finding;
import dev.warden.decision.FindingCode;
import dev.warden.decision.Vote;
import dev.warden.hooks.HookOutcome;
import dev.warden.model.GtidSet;
import dev.warden.model.HookEvent;
import dev.warden.model.InstanceKey;
import dev.warden.plan.CatchUp;
import dev.warden.plan.FenceOldPrimary;
import dev.warden.plan.Plan;
import dev.warden.plan.PlanKind;
import dev.warden.plan.Promote;
import dev.warden.plan.Repoint;
import dev.warden.plan.RunHooks;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What every store must do, on SQLite and on a real MySQL/MariaDB schema. */
abstract class StoreContract {

    static final InstanceKey OLD = InstanceKey.parse("127.0.0.1:3306");
    static final InstanceKey NEW = InstanceKey.parse("127.0.0.1:3307");
    static final InstanceKey OTHER = InstanceKey.parse("127.0.0.1:3308");
    static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

    /** A fresh, empty store location for each call. */
    abstract StoreSettings fresh();

    /** Runs SQL directly against the store (to tamper with it). */
    abstract void tamper(StoreSettings s, String sql) throws Exception;

    static Store open(StoreSettings s, Instant now) {
        return Store.open(s, Clock.fixed(now, ZoneOffset.UTC), "test-manager");
    }

    static Plan failoverPlan() {
        return new Plan(PlanKind.FAILOVER, "main", "DeadPrimary 127.0.0.1:3306: refused", OLD, NEW,
                "most advanced", 2, List.of(new Plan.Reasoned(OTHER, "in maintenance")), List.of(),
                List.of(new RunHooks(HookEvent.PRE_FAILOVER, OLD, Duration.ofSeconds(1)),
                        new FenceOldPrimary(OLD, Duration.ofMillis(500)),
                        new CatchUp(NEW, GtidSet.parse("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-57"),
                                Duration.ofSeconds(30)),
                        new Promote(NEW, Duration.ofSeconds(5)),
                        new Repoint(OTHER, NEW, Duration.ofSeconds(5))));
    }

    @Test
    void migratesOnceAndOpensAgainWithTheSameSchema() {
        StoreSettings s = fresh();
        open(s, T0).close();
        try (Store again = open(s, T0)) {
            int rows = again.jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM warden_schema")
                    .mapTo(Integer.class).one());
            assertThat(rows).isEqualTo(Migrations.FILES.size());
        }
    }

    @Test
    void anOperationIsKeptStepByStepAndReadBackWhole() {
        StoreSettings s = fresh();
        Operation op = new Operation("op-1", failoverPlan(), "automatic",
                List.of(new Vote("manager", Vote.Verdict.CONFIRMS_DEAD, "refused", T0)), T0);
        try (Store store = open(s, T0)) {
            op.open(store.operations());
            // Mid-operation, as a crash would leave it: step 4 started, its end not recorded.
            TestSteps.run(op, 0, T0, dev.warden.actions.StepOutcome.done("2 hook(s)"));
            op.addHooks(List.of(new HookOutcome("pager", "pre_failover", HookOutcome.Status.OK, 1,
                    Duration.ofMillis(12), null, true)));
            TestSteps.run(op, 1, T0, dev.warden.actions.StepOutcome.pending("unreachable"));
            TestSteps.run(op, 2, T0, dev.warden.actions.StepOutcome.done("applied"));
            TestSteps.start(op, 3, T0.plusMillis(300));
        }
        try (Store store = open(s, T0)) {
            List<Operation> unfinished = store.operations().unfinished("main");
            assertThat(unfinished).hasSize(1);
            Operation back = unfinished.get(0);
            assertThat(back.plan()).isEqualTo(op.plan());
            assertThat(back.evidence()).isEqualTo(op.evidence());
            assertThat(back.steps()).extracting(StepRecord::status).containsExactly(StepStatus.DONE,
                    StepStatus.PENDING, StepStatus.DONE, StepStatus.RUNNING, StepStatus.NOT_RUN);
            assertThat(back.steps().get(3).startedAt()).isEqualTo(T0.plusMillis(300));
            assertThat(back.hooks()).containsExactly(op.hooks().get(0));
            assertThat(back.outcome()).isEqualTo(Operation.Outcome.RUNNING);

            back.reopen(store.operations());
            TestSteps.run(back, 3, T0.plusSeconds(1), dev.warden.actions.StepOutcome.done("writable",
                    T0.plusMillis(400)));
            TestSteps.finish(back, Operation.Outcome.SUCCEEDED, "done", T0.plusSeconds(2));
            assertThat(store.operations().unfinished("main")).isEmpty();
            Operation done = store.operations().byId("op-1").orElseThrow();
            assertThat(done.outcome()).isEqualTo(Operation.Outcome.SUCCEEDED);
            assertThat(done.endedAt()).isEqualTo(T0.plusSeconds(2));
            assertThat(done.steps().get(3).effectiveAt()).isEqualTo(T0.plusMillis(400));
            assertThat(store.operations().recent(null, 10)).extracting(Operation::id).containsExactly("op-1");
            assertThat(store.operations().recent("other", 10)).isEmpty();
        }
    }

    /**
     * With several managers: a new leader claims its epoch in the journal before it reads it; from then on no record
     * of an operation run under an older epoch is written (refused, as a refused proof), its own are; a claim older
     * than the journal's is refused; operations without an epoch (alone) are not checked.
     */
    @Test
    void recordsOfAnOlderLeadershipAreRefusedOnceANewerOneClaimedTheCluster() {
        StoreSettings s = fresh();
        try (Store store = open(s, T0)) {
            store.operations().claim("main", 3);
            Operation old = new Operation("op-epoch-3", failoverPlan(), "automatic", List.of(), T0);
            old.ledAt(3);
            old.open(store.operations());
            TestSteps.run(old, 0, T0.plusMillis(10), dev.warden.actions.StepOutcome.done("hooks ran"));

            store.operations().claim("main", 4); // another manager leads now
            assertThat(store.operations().term("main")).isEqualTo(4);
            assertThatThrownBy(() -> dev.warden.actions.OperationTestAccess.started(old, 1, T0.plusMillis(20)))
                    .isInstanceOf(dev.warden.actions.StepGuard.Refused.class)
                    .hasMessageContaining("knows epoch 4 of cluster main, newer than this operation's 3");
            Operation stored = store.operations().byId("op-epoch-3").orElseThrow();
            assertThat(stored.steps().get(1).status()).as("the deposed leader's record not written")
                    .isEqualTo(StepStatus.NOT_RUN);
            Operation late = new Operation("op-late", failoverPlan(), "automatic", List.of(), T0);
            late.ledAt(3);
            assertThatThrownBy(() -> late.open(store.operations()))
                    .isInstanceOf(dev.warden.actions.StepGuard.Refused.class);
            assertThat(store.operations().byId("op-late")).isEmpty();

            // The new leader takes the operation over under its own epoch: its records are written.
            Operation taken = store.operations().unfinished("main").get(0);
            taken.ledAt(4);
            taken.reopen(store.operations());
            TestSteps.run(taken, 1, T0.plusSeconds(1), dev.warden.actions.StepOutcome.done("fenced"));
            assertThat(store.operations().byId("op-epoch-3").orElseThrow().steps().get(1).status())
                    .isEqualTo(StepStatus.DONE);

            assertThatThrownBy(() -> store.operations().claim("main", 2)).isInstanceOf(StoreException.class)
                    .hasMessageContaining("already knows epoch 4 of cluster main, newer than this leadership's 2");
            store.operations().claim("main", 4); // the same leadership again: fine
            Operation alone = new Operation("op-alone", failoverPlan(), "automatic", List.of(), T0);
            alone.open(store.operations());
            assertThat(store.operations().byId("op-alone")).isPresent();
        }
    }

    @Test
    void findingsAreIncidentsNotCycles() {
        StoreSettings s = fresh();
        Finding lag = new Finding(FindingCode.ReplicaLagging, "lagging", 20, List.of(OTHER), List.of(), "lag 12 s",
                false);
        try (Store store = open(s, T0)) {
            store.findings().sync("main", List.of(lag), T0);
            store.findings().sync("main", List.of(lag), T0.plusSeconds(1));
            store.findings().sync("main", List.of(lag), T0.plusSeconds(11));
        }
        try (Store store = open(s, T0)) {
            // A restarted manager continues the open incident, then closes it when it is gone.
            store.findings().sync("main", List.of(lag), T0.plusSeconds(12));
            store.findings().sync("main", List.of(), T0.plusSeconds(13));
            List<FindingStore.FindingRecord> all = store.findings().all("main");
            assertThat(all).hasSize(1);
            assertThat(all.get(0).firstSeen()).isEqualTo(T0);
            assertThat(all.get(0).clearedAt()).isEqualTo(T0.plusSeconds(13));
            store.findings().sync("main", List.of(lag), T0.plusSeconds(20));
            assertThat(store.findings().history("main", 10)).extracting(FindingStore.FindingRecord::clearedAt)
                    .containsExactly(null, T0.plusSeconds(13));
        }
    }

    @Test
    void controlsSurviveARestart() {
        StoreSettings s = fresh();
        FailoverRecord record = new FailoverRecord("op-1", OLD, NEW, T0);
        try (Store store = open(s, T0)) {
            store.controls().maintenance("main", null, true, T0.plusSeconds(600), "alice", "10.0.0.7", "upgrade", T0);
            store.controls().maintenance("main", OTHER, true, null, "bob", null, null, T0);
            store.controls().failedOver("main", record, T0.plusSeconds(3600), T0);
        }
        try (Store store = open(s, T0)) {
            ClusterControls c = store.controls().load("main", T0.plusSeconds(1));
            assertThat(c.maintenance()).isTrue();
            assertThat(c.maintenanceEnds()).containsEntry(null, T0.plusSeconds(600));
            assertThat(c.serversInMaintenance()).containsExactly(OTHER);
            assertThat(c.antiFlapUntil()).isEqualTo(T0.plusSeconds(3600));
            assertThat(c.fenced()).containsExactly(OLD);
            assertThat(c.lastFailover()).isEqualTo(record);

            // A window past its end is not maintenance any more.
            assertThat(store.controls().load("main", T0.plusSeconds(601)).maintenance()).isFalse();
            store.controls().acknowledged("main", "alice", "10.0.0.7", "anti-flap block", T0.plusSeconds(5));
            store.controls().maintenance("main", OTHER, false, null, "bob", null, null, T0.plusSeconds(6));
            store.controls().unfenced("main", OLD);
            ClusterControls after = store.controls().load("main", T0.plusSeconds(7));
            assertThat(after.antiFlapUntil()).isNull();
            assertThat(after.serversInMaintenance()).isEmpty();
            assertThat(after.fenced()).isEmpty();
            assertThat(store.controls().maintenanceHistory("main", 10)).extracting(ControlStore.MaintenanceRecord::who)
                    .containsExactly("bob", "alice");
            assertThat(store.controls().acknowledgements("main", 10)).extracting(ControlStore.AcknowledgementRecord::who)
                    .containsExactly("alice");
        }
    }

    @Test
    void anInterruptedOperationIsReportedUntilAcknowledged() {
        StoreSettings s = fresh();
        try (Store store = open(s, T0)) {
            Operation op = new Operation("op-2", failoverPlan(), "automatic", List.of(), T0);
            op.open(store.operations());
            TestSteps.finish(op, Operation.Outcome.INTERRUPTED, "stopped: the old primary is writable",
                    T0.plusSeconds(1));
            assertThat(store.controls().load("main", T0.plusSeconds(2)).interrupted())
                    .isEqualTo(new ClusterControls.Interruption("op-2", NEW, "stopped: the old primary is writable"));
            store.controls().acknowledged("main", "alice", null, "interrupted op-2", T0.plusSeconds(3));
            assertThat(store.controls().load("main", T0.plusSeconds(4)).interrupted()).isNull();
        }
    }

    @Test
    void userActionsAreAudited() {
        try (Store store = open(fresh(), T0)) {
            store.audit().record(new AuditStore.UserAction(T0, "alice", "10.0.0.7", "switchover", "main", "best",
                    "op-3", "succeeded"));
            store.audit().record(new AuditStore.UserAction(T0.plusSeconds(1), "bob", null, "login", null, null, null,
                    "denied"));
            assertThat(store.audit().recent(10)).extracting(AuditStore.UserAction::who).containsExactly("bob", "alice");
            assertThat(store.audit().recent(10).get(1)).isEqualTo(new AuditStore.UserAction(T0, "alice", "10.0.0.7",
                    "switchover", "main", "best", "op-3", "succeeded"));
        }
    }

    @Test
    void historyOlderThanTheRetentionIsPruned() {
        StoreSettings s = fresh();
        try (Store store = open(s, T0)) {
            Operation op = new Operation("op-old", failoverPlan(), "automatic", List.of(), T0);
            op.open(store.operations());
            TestSteps.run(op, 0, T0, dev.warden.actions.StepOutcome.done("ok"));
            TestSteps.finish(op, Operation.Outcome.SUCCEEDED, "done", T0);
            Operation running = new Operation("op-running", failoverPlan(), "automatic", List.of(), T0);
            running.open(store.operations());
            store.audit().record(new AuditStore.UserAction(T0, "alice", null, "ack", "main", null, null, "done"));
            store.findings().sync("main", List.of(new Finding(FindingCode.ReplicaLagging, "", 1, List.of(OTHER),
                    List.of(), "lag", false)), T0);
            store.findings().sync("main", List.of(), T0.plusSeconds(1));

            assertThat(store.prune(T0.plus(StoreSettings.DEFAULT_RETENTION).minusSeconds(10))).isZero();
            assertThat(store.prune(T0.plus(StoreSettings.DEFAULT_RETENTION).plusSeconds(10))).isGreaterThan(0);
            assertThat(store.operations().byId("op-old")).isEmpty();
            // An unfinished operation is never pruned: a restart must still find it.
            assertThat(store.operations().byId("op-running")).isPresent();
            assertThat(store.audit().recent(10)).isEmpty();
            assertThat(store.findings().all("main")).isEmpty();
        }
    }

    @Test
    void aSchemaNewerThanThisBuildIsRefused() throws Exception {
        StoreSettings s = fresh();
        open(s, T0).close();
        tamper(s, "INSERT INTO warden_schema (version, name, checksum, applied_at) VALUES (99, 'V99__future.sql', "
                + "'x', 0)");
        assertThatThrownBy(() -> open(s, T0)).isInstanceOf(StoreException.class)
                .hasMessageContaining("schema version 99 (V99__future.sql), newer than this Warden knows (2)");
    }

    @Test
    void anEditedMigrationIsRefused() throws Exception {
        StoreSettings s = fresh();
        open(s, T0).close();
        tamper(s, "UPDATE warden_schema SET checksum = 'abc' WHERE version = 1");
        assertThatThrownBy(() -> open(s, T0)).isInstanceOf(StoreException.class)
                .hasMessageContaining("applied V1__history.sql with checksum abc")
                .hasMessageContaining("was edited after it ran");
    }
}
