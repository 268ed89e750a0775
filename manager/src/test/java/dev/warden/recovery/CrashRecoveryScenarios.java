package dev.warden.recovery;

import dev.warden.testing.Daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.actions.Operation;
import dev.warden.actions.StepRecord;
import dev.warden.actions.StepStatus;
import dev.warden.config.StoreSettings;
import dev.warden.plan.PlanKind;
import dev.warden.plan.Promote;
import dev.warden.plan.Repoint;
import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxInstance;
import dev.warden.store.Store;
import dev.warden.testing.Await;
import dev.warden.testing.Convergence;
import dev.warden.testing.RootSql;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The manager is killed (kill -9, its own JVM) at each step boundary of a failover and of a switchover, then
 * started again: the cluster must end with exactly one writable primary and every replica replicating from it,
 * and the operation's record must tell what happened before and after the crash. Each crash point and its result
 * is appended to {@code target/crash-recovery.txt}.
 */
abstract class CrashRecoveryScenarios {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration CONVERGE = Duration.ofSeconds(40);

    abstract Sandbox sandbox();

    // ---- failover -------------------------------------------------------------------------------------

    @Test
    void failoverCutAfterItWasRecordedBeforeAnyStep() throws Exception {
        failoverCutAt("opened", cut -> assertThat(cut.steps()).allSatisfy(r ->
                assertThat(r.status()).isEqualTo(StepStatus.NOT_RUN)));
    }

    @Test
    void failoverCutWhenThePromotionHadStartedButNotRun() throws Exception {
        failoverCutAt("before:promote", cut -> assertThat(step(cut, Promote.class).status())
                .isEqualTo(StepStatus.RUNNING));
    }

    @Test
    void failoverCutAfterThePromotionTookEffectButBeforeItWasRecorded() throws Exception {
        Operation done = failoverCutAt("ran:promote", cut -> assertThat(step(cut, Promote.class).status())
                .isEqualTo(StepStatus.RUNNING));
        StepRecord promote = step(done, Promote.class);
        assertThat(promote.status()).isEqualTo(StepStatus.ALREADY_DONE);
        assertThat(promote.detail()).contains("the promotion took effect before the restart");
    }

    @Test
    void failoverCutAfterThePromotionWasRecorded() throws Exception {
        failoverCutAt("after:promote", cut -> {
            assertThat(step(cut, Promote.class).status()).isEqualTo(StepStatus.DONE);
            assertThat(cut.steps()).filteredOn(r -> r.step() instanceof Repoint)
                    .allSatisfy(r -> assertThat(r.status()).isEqualTo(StepStatus.NOT_RUN));
        });
    }

    @Test
    void failoverCutAfterOneReplicaWasRepointed() throws Exception {
        failoverCutAt("after:re-point", cut -> assertThat(cut.steps()).filteredOn(r -> r.step() instanceof Repoint)
                .anySatisfy(r -> assertThat(r.status()).isEqualTo(StepStatus.DONE)));
    }

    @Test
    void failoverCutAfterEveryStepButBeforeItsEndWasRecorded() throws Exception {
        Operation[] before = new Operation[1];
        Operation done = failoverCutAt("finish", cut -> {
            assertThat(cut.steps()).allSatisfy(r -> assertThat(r.status()).isIn(StepStatus.DONE,
                    StepStatus.ALREADY_DONE, StepStatus.PENDING));
            before[0] = cut;
        });
        // Nothing was run twice: every step that held kept its original record.
        for (StepRecord r : before[0].steps()) {
            if (r.status().holds()) {
                assertThat(done.steps().get(r.index()).endedAt()).isEqualTo(r.endedAt());
            }
        }
    }

    @Test
    void oldPrimaryBackWritableWhileTheManagerWasDown_nothingIsPromoted() throws Exception {
        Sandbox sb = sandbox();
        SandboxInstance old = sb.primary();
        try (Daemon d = new Daemon(sb)) {
            d.start("opened").awaitHealthy();
            sb.kill(old);
            String id = d.awaitPaused("opened");
            d.crash();
            // The old primary restarts and someone makes it writable again before the manager is back.
            sb.restart(old);
            RootSql.exec(sb, old, sb.flavor().flavor() == dev.warden.model.Flavor.MYSQL
                    ? new String[] {"SET GLOBAL super_read_only = 0", "SET GLOBAL read_only = 0"}
                    : new String[] {"SET GLOBAL read_only = 0"});
            d.start(null);
            JsonNode op = awaitEnded(d, id);
            assertThat(op.get("outcome").asText()).isEqualTo("INTERRUPTED");
            assertThat(op.get("summary").asText()).contains("INTERRUPTED by a manager restart before its first step")
                    .contains("nothing was promoted and " + old.key() + " accepts writes");
            Convergence.onePrimary(sb, old, sb.replicas(), CONVERGE);
            JsonNode cluster = awaitFinding(d, "OperationInterrupted", true);
            assertThat(cluster.toString()).contains(id);
            d.postAndForget("/api/clusters/sandbox/acknowledge", "{}");
            awaitFinding(d, "OperationInterrupted", false);
            assertThat(failovers(d)).isEqualTo(1);
            report(id, "opened + old primary back writable", op);
        }
    }

    // ---- switchover -----------------------------------------------------------------------------------

    @Test
    void switchoverCutAfterTheOldPrimaryWentReadOnly_isRolledBack() throws Exception {
        Sandbox sb = sandbox();
        SandboxInstance old = sb.primary();
        try (Daemon d = new Daemon(sb)) {
            d.start("after:read-only").awaitHealthy();
            d.postAndForget("/api/clusters/sandbox/switchover", "{}");
            String id = d.awaitPaused("after:read-only");
            d.crash();
            assertThat(Convergence.writable(sb)).as("nobody writable while the manager is down").isEmpty();
            d.start(null);
            JsonNode op = awaitEnded(d, id);
            assertThat(op.get("outcome").asText()).isEqualTo("INTERRUPTED");
            assertThat(op.get("summary").asText()).startsWith("Cut short by a manager restart:")
                    .contains("ROLLED BACK").contains("make " + old.key() + " writable again: DONE");
            Convergence.onePrimary(sb, old, sb.replicas(), CONVERGE);
            report(id, "switchover after:read-only", op);
        }
    }

    @Test
    void switchoverCutAfterThePromotionIsFinished() throws Exception {
        Sandbox sb = sandbox();
        SandboxInstance old = sb.primary();
        try (Daemon d = new Daemon(sb)) {
            d.start("after:promote").awaitHealthy();
            d.postAndForget("/api/clusters/sandbox/switchover", "{}");
            String id = d.awaitPaused("after:promote");
            d.crash();
            d.start(null);
            JsonNode op = awaitEnded(d, id);
            assertThat(op.get("outcome").asText()).isEqualTo("SUCCEEDED");
            assertThat(op.get("summary").asText()).startsWith("Resumed after a manager restart (cut short after step");
            SandboxInstance candidate = byKey(sb, op);
            List<SandboxInstance> others = sb.instances().stream().filter(i -> !i.equals(candidate)).toList();
            assertThat(others).contains(old);
            Convergence.onePrimary(sb, candidate, others, CONVERGE);
            report(id, "switchover after:promote", op);
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------

    /**
     * Kills the primary, lets the daemon run the failover up to {@code point}, kills the daemon there, checks the
     * record it left ({@code recorded}), starts it again and checks the cluster converges on the candidate and
     * the record tells both halves. Returns the final record.
     */
    private Operation failoverCutAt(String point, Consumer<Operation> recorded) throws Exception {
        Sandbox sb = sandbox();
        SandboxInstance old = sb.primary();
        try (Daemon d = new Daemon(sb)) {
            d.start(point).awaitHealthy();
            sb.kill(old);
            String id = d.awaitPaused(point);
            d.crash();
            Operation cut = stored(d, id);
            assertThat(cut.plan().kind()).isEqualTo(PlanKind.FAILOVER);
            assertThat(cut.outcome()).isEqualTo(Operation.Outcome.RUNNING);
            recorded.accept(cut);

            d.start(null);
            JsonNode op = awaitEnded(d, id);
            assertThat(op.get("outcome").asText()).isEqualTo("SUCCEEDED");
            assertThat(op.get("summary").asText()).startsWith("Resumed after a manager restart (cut short ")
                    .contains("succeeded");
            SandboxInstance candidate = byKey(sb, op);
            List<SandboxInstance> survivors = sb.replicas().stream().filter(r -> !r.equals(candidate)).toList();
            Convergence.onePrimary(sb, candidate, survivors, CONVERGE);
            assertThat(failovers(d)).as("no second failover after the restart").isEqualTo(1);
            report(id, "failover " + point, op);
            d.crash();
            Operation done = stored(d, id);
            assertThat(done.steps()).allSatisfy(r -> assertThat(r.status()).isIn(StepStatus.DONE,
                    StepStatus.ALREADY_DONE, StepStatus.PENDING));
            return done;
        }
    }

    static StepRecord step(Operation op, Class<?> kind) {
        return op.steps().stream().filter(r -> kind.isInstance(r.step())).findFirst().orElseThrow();
    }

    /** The operation as the store has it (the daemon must be stopped: one manager per store). */
    static Operation stored(Daemon d, String id) {
        try (Store s = Store.open(StoreSettings.sqlite(d.store), Clock.systemUTC(), "test-reader")) {
            return s.operations().byId(id).orElseThrow(() -> new AssertionError(id + " is not in the store"));
        }
    }

    static JsonNode awaitEnded(Daemon d, String id) {
        return Await.until(id + " to end after the restart", CONVERGE, () -> {
            try {
                var r = d.get("/api/operations/" + id);
                return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
            } catch (IOException e) {
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }, op -> {
            if (!d.process().isAlive()) {
                throw new AssertionError("the restarted daemon exited:\n" + d.output());
            }
            return op != null && !"RUNNING".equals(op.get("outcome").asText());
        });
    }

    static JsonNode awaitFinding(Daemon d, String code, boolean present) {
        return Await.until("finding " + code + (present ? "" : " to clear"), CONVERGE, () -> {
            try {
                return JSON.readTree(d.get("/api/clusters/sandbox").body());
            } catch (Exception e) {
                return null;
            }
        }, c -> c != null && c.path("summary").asText().contains(code) == present);
    }

    static long failovers(Daemon d) throws Exception {
        JsonNode ops = JSON.readTree(d.get("/api/operations").body());
        long n = 0;
        for (JsonNode o : ops) {
            if ("FAILOVER".equals(o.get("kind").asText())) {
                n++;
            }
        }
        return n;
    }

    static SandboxInstance byKey(Sandbox sb, JsonNode op) {
        String candidate = op.get("candidate").asText();
        return sb.instances().stream().filter(i -> i.key().toString().equals(candidate)).findFirst().orElseThrow();
    }

    void report(String id, String point, JsonNode op) {
        StringBuilder steps = new StringBuilder();
        for (JsonNode s : op.get("steps")) {
            steps.append(String.format(Locale.ROOT, "%n    %-12s %s", s.get("status").asText(), s.get("step").asText()));
        }
        String line = String.format(Locale.ROOT, "CRASH-POINT %s %s (%s): %s: %s%s%n", sandbox().flavor(), point, id,
                op.get("outcome").asText(), op.get("summary").asText(), steps);
        System.out.print(line);
        try {
            Files.writeString(Path.of("target", "crash-recovery.txt"), line, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            // printed anyway
        }
    }
}
