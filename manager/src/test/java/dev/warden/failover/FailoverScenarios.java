package dev.warden.failover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.actions.Operation;
import dev.warden.decision.FindingCode;
import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxInstance;
import dev.warden.testing.Await;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Automatic failover on real servers, with an application writing numbered rows. A fresh sandbox per test.
 * Timings are printed (FAILOVER-TIMING lines, also in target/failover-timings.txt), never asserted.
 */
abstract class FailoverScenarios {

    abstract Sandbox sandbox();

    static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(30);

    @Test
    void killedPrimaryIsReplacedByTheMostAdvancedReplica() throws Exception {
        Sandbox sb = sandbox();
        try (FailoverHarness h = new FailoverHarness(sb, null)) {
            h.startWriter(sb.primary());
            Instant fault = Instant.now();
            sb.kill(sb.primary());
            Operation op = h.awaitFailover(1, FAILOVER_TIMEOUT);
            assertThat(op.outcome()).as(op.summary()).isEqualTo(Operation.Outcome.SUCCEEDED);
            assertThat(op.evidence()).extracting(v -> v.verdict().name()).contains("CONFIRMS_DEAD");
            SandboxInstance newPrimary = sb.instances().stream().filter(i -> i.key().equals(op.plan().candidate()))
                    .findFirst().orElseThrow();
            List<SandboxInstance> survivors = sb.replicas().stream().filter(r -> !r.equals(newPrimary)).toList();
            h.assertOnePrimary(newPrimary, survivors);
            long lost = h.lostAckedRows(newPrimary);
            h.assertNoErrant(newPrimary, survivors);
            h.report("kill -9", fault, op, newPrimary, survivors, lost);
            assertThat(h.cluster.controls().fenced()).containsExactly(sb.primary().key());
        }
    }

    @Test
    void hungPrimaryIsReplacedAndFencedAsSoonAsItAnswersAgain() throws Exception {
        Sandbox sb = sandbox();
        try (FailoverHarness h = new FailoverHarness(sb, null)) {
            h.startWriter(sb.primary());
            Instant fault = Instant.now();
            sb.freeze(sb.primary());
            Operation op;
            try {
                op = h.awaitFailover(1, FAILOVER_TIMEOUT);
                assertThat(op.outcome()).as(op.summary()).isEqualTo(Operation.Outcome.SUCCEEDED);
                assertThat(op.steps().get(0).status().name()).as(op.steps().get(0).detail()).isEqualTo("PENDING");
            } finally {
                h.writer.close();
                Instant thawed = Instant.now();
                sb.thaw(sb.primary());
                Instant readOnly = Await.until("the old primary to be fenced after it answers again",
                        Duration.ofSeconds(20), () -> h.observer.readOnlySince(sb.primary(), thawed),
                        t -> t != null);
                System.out.println("FENCE-WINDOW " + sb.flavor() + ": old primary read-only "
                        + FailoverHarness.secs(thawed, readOnly) + " s after SIGCONT");
                java.nio.file.Files.writeString(java.nio.file.Path.of("target", "failover-timings.txt"),
                        "FENCE-WINDOW " + sb.flavor() + " SIGSTOP: old primary read-only "
                                + FailoverHarness.secs(thawed, readOnly) + " s after SIGCONT\n",
                        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
                Instant checkedFrom = readOnly.plusMillis(50);
                Thread.sleep(1500); // the test watches it for 1.5 s: it must stay read-only
                assertThat(h.observer.everWritable(sb.primary(), checkedFrom, Instant.now()))
                        .as("the old primary stays read-only").isFalse();
            }
            SandboxInstance newPrimary = sb.instances().stream().filter(i -> i.key().equals(op.plan().candidate()))
                    .findFirst().orElseThrow();
            List<SandboxInstance> survivors = sb.replicas().stream().filter(r -> !r.equals(newPrimary)).toList();
            h.assertOnePrimary(newPrimary, survivors);
            long lost = h.lostAckedRows(newPrimary);
            h.assertNoErrant(newPrimary, survivors);
            h.report("SIGSTOP", fault, op, newPrimary, survivors, lost);
            assertThat(h.cluster.latest().orElseThrow().findings()).extracting(f -> f.code())
                    .doesNotContain(FindingCode.DeadPrimary, FindingCode.TwoWritablePrimaries);
        }
    }
}
