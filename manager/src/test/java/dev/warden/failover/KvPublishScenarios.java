package dev.warden.failover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.actions.Operation;
import dev.warden.actions.StepStatus;
import dev.warden.plan.PlanKind;
import dev.warden.plan.PublishPrimary;
import dev.warden.sandbox.EtcdProcess;
import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxInstance;
import dev.warden.store.FindingStore;
import dev.warden.testing.Await;
import dev.warden.testing.Cli;
import dev.warden.testing.RawKeys;
import dev.warden.testing.RootSql;
import dev.warden.testing.ZkEnsemble;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.curator.test.TestingCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The primary published to a real ZooKeeper ensemble and a real etcd, in Orchestrator's keys: through a kill -9
 * failover under a writer, repaired when someone changes it, left alone when a newer leadership wrote it, and (gate
 * mode) a switchover that cannot write a store is rolled back.
 */
abstract class KvPublishScenarios {

    abstract Sandbox sandbox();

    static final Duration KEY_DEADLINE = Duration.ofSeconds(30);

    TestingCluster zk;
    EtcdProcess etcd;
    Path dir;

    @BeforeEach
    void startStores() throws Exception {
        Assumptions.assumeTrue(EtcdProcess.installed(), "etcd-server is not installed (scripts/install-prerequisites)");
        dir = Files.createTempDirectory("warden-kv-it");
        zk = ZkEnsemble.three();
        etcd = EtcdProcess.start(dir.resolve("etcd"));
    }

    @AfterEach
    void stopStores() throws Exception {
        if (etcd != null) {
            etcd.close();
        }
        if (zk != null) {
            zk.close();
        }
    }

    String yaml(String mode) {
        return "kv:\n  mode: " + mode + "\n  timeout: 1s\n  zookeeper:\n    connect: " + zk.getConnectString()
                + "\n  etcd:\n    endpoints: [" + etcd.endpoint() + "]\n";
    }

    RawKeys keys(String which) {
        return new RawKeys(which, zk, etcd);
    }

    String held(String which) {
        try {
            return keys(which).get("mysql/master/sandbox");
        } catch (Exception e) {
            return "unreadable: " + e;
        }
    }

    void awaitBothHold(SandboxInstance primary, Duration within) {
        String want = primary.key().toString();
        Await.until("both stores naming " + want, within, () -> held("zookeeper") + " " + held("etcd"),
                s -> s.equals(want + " " + want));
    }

    @Test
    void theKeysFollowAKill9Failover_areRepairedWhenChanged_andANewerEpochIsLeftAlone() throws Exception {
        Sandbox sb = sandbox();
        try (FailoverHarness h = new FailoverHarness(sb, yaml("best_effort"))) {
            awaitBothHold(sb.primary(), KEY_DEADLINE);
            assertThat(keys("etcd").get("mysql/master/sandbox/hostname")).isEqualTo("127.0.0.1");
            assertThat(keys("zookeeper").get("mysql/master/sandbox/port")).isEqualTo(
                    Integer.toString(sb.primary().port()));

            h.startWriter(sb.primary());
            Instant killed = Instant.now();
            sb.kill(sb.primary());
            Operation op = h.awaitFailover(1, FailoverScenarios.FAILOVER_TIMEOUT);
            assertThat(op.outcome()).as(op.summary()).isEqualTo(Operation.Outcome.SUCCEEDED);
            SandboxInstance newPrimary = FailoverScenarios.instanceAt(sb, op.plan().candidate());
            assertThat(op.steps()).filteredOn(r -> r.step() instanceof PublishPrimary).singleElement()
                    .satisfies(r -> {
                        assertThat(r.status()).as(r.detail()).isEqualTo(StepStatus.DONE);
                        assertThat(r.detail()).contains("mysql/master/sandbox = " + newPrimary.key());
                    });
            assertThat(held("zookeeper")).as("when the failover reports success").isEqualTo(
                    newPrimary.key().toString());
            assertThat(held("etcd")).isEqualTo(newPrimary.key().toString());
            assertThat(keys("etcd").get("mysql/master/sandbox/port")).isEqualTo(Integer.toString(newPrimary.port()));
            SwitchoverScenarios.figure("KV-FAILOVER " + sb.flavor() + ": ZooKeeper and etcd named the new primary "
                    + SwitchoverScenarios.ms(Duration.between(killed, op.endedAt())) + " after kill -9 (the failover's "
                    + "end, its publish step included)");
            h.assertOnePrimary(newPrimary, sb.replicas().stream().filter(r -> !r.equals(newPrimary)).toList());

            // Someone points the key at the dead primary: the next cycles put it back, and a finding says so.
            keys("etcd").put("mysql/master/sandbox", sb.primary().key().toString());
            awaitBothHold(newPrimary, Duration.ofSeconds(10));
            Await.until("a PublishedPrimaryWrong finding on record", Duration.ofSeconds(10),
                    () -> h.store.findings().history("sandbox", 50).stream().map(FindingStore.FindingRecord::sentence)
                            .filter(s -> s.startsWith("PublishedPrimaryWrong")).toList(),
                    l -> l.stream().anyMatch(s -> s.contains("held " + sb.primary().key()) && s.contains("rewritten")));

            // A newer leadership (epoch 7) wrote another server: this manager (epoch 0) leaves it and reports it.
            keys("zookeeper").put("mysql/master/sandbox/warden_epoch", "7");
            keys("zookeeper").put("mysql/master/sandbox", "127.0.0.1:1");
            Await.until("a finding that the store is left as it is", Duration.ofSeconds(10),
                    () -> h.cluster.latest().map(c -> c.findings().stream().map(f -> f.sentence()).toList())
                            .orElse(List.of()),
                    l -> l.stream().anyMatch(s -> s.startsWith("PublishedPrimaryWrong") && s.contains("epoch 7")
                            && s.contains("left as it is")));
            assertThat(held("zookeeper")).as("never overwritten with an older epoch").isEqualTo("127.0.0.1:1");
            assertThat(held("etcd")).isEqualTo(newPrimary.key().toString());
        }
    }

    @Test
    void withGate_aFailoverPromotesNobodyWhileAStoreCannotBeWritten() throws Exception {
        Sandbox sb = sandbox();
        try (FailoverHarness h = new FailoverHarness(sb, yaml("gate"))) {
            awaitBothHold(sb.primary(), KEY_DEADLINE);
            etcd.kill();
            sb.kill(sb.primary());
            Operation op = h.awaitFailover(1, FailoverScenarios.FAILOVER_TIMEOUT);
            assertThat(op.outcome()).as(op.summary()).isEqualTo(Operation.Outcome.FAILED);
            assertThat(op.steps()).filteredOn(r -> r.step() instanceof PublishPrimary && !r.undo()).singleElement()
                    .satisfies(r -> assertThat(r.detail()).contains("etcd").contains("nothing is promoted"));
            assertThat(op.steps()).filteredOn(r -> r.step() instanceof dev.warden.plan.Promote)
                    .allSatisfy(r -> assertThat(r.status()).isEqualTo(StepStatus.NOT_RUN));
            for (SandboxInstance r : sb.replicas()) {
                assertThat(RootSql.value(sb, r, "SELECT @@read_only")).as(r.name() + " not promoted").isEqualTo("1");
            }
            assertThat(held("zookeeper")).as("ZooKeeper, written by the gate, names the old primary again")
                    .isEqualTo(sb.primary().key().toString());
            assertThat(op.summary()).contains("The old primary " + sb.primary().key() + " was written back to the "
                    + "key-value stores that answer");
        }
    }

    @Test
    void withGate_aSwitchoverThatCannotWriteAStoreIsRolledBack() throws Exception {
        Sandbox sb = sandbox();
        SandboxInstance target = sb.replicas().get(0);
        try (FailoverHarness h = new FailoverHarness(sb, yaml("gate"))) {
            awaitBothHold(sb.primary(), KEY_DEADLINE);
            etcd.kill();
            Cli.Run run = Cli.run("switchover", "-c", h.configFile.toString(), "--cluster", "sandbox", "--to",
                    target.key().toString());
            assertThat(run.exitCode()).as(run.toString()).isNotZero();
            Operation op = h.cluster.operations().stream().filter(o -> o.plan().kind() == PlanKind.SWITCHOVER)
                    .findFirst().orElseThrow();
            assertThat(op.outcome()).as(op.summary()).isEqualTo(Operation.Outcome.ROLLED_BACK);
            assertThat(op.summary()).contains("the key-value stores could not all be written").contains("etcd");
            assertThat(op.steps()).noneSatisfy(r -> assertThat(r.step().kind() + " " + r.status())
                    .isEqualTo("promote DONE"));
            assertThat(RootSql.value(sb, sb.primary(), "SELECT @@read_only")).as("the old primary writable again")
                    .isEqualTo("0");
            assertThat(RootSql.value(sb, target, "SELECT @@read_only")).isEqualTo("1");
            assertThat(held("zookeeper")).as("ZooKeeper written back to the old primary by the undo")
                    .isEqualTo(sb.primary().key().toString());
        }
    }
}
