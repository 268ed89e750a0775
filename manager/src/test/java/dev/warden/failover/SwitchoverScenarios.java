package dev.warden.failover;

import dev.warden.dialect.Dialect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.actions.Operation;
import dev.warden.hooks.HookOutcome;
import dev.warden.plan.PlanKind;
import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxInstance;
import dev.warden.testing.Await;
import dev.warden.testing.Cli;
import dev.warden.sandbox.HaproxyProcess;
import dev.warden.testing.HookServer;
import dev.warden.testing.RootSql;
import dev.warden.bench.RowWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Planned switchover, hooks with their contract, and HAProxy kept in step, on real servers and a real HAProxy. */
abstract class SwitchoverScenarios {

    abstract Sandbox sandbox();

    @BeforeEach
    void needsHaproxy() {
        Assumptions.assumeTrue(HaproxyProcess.installed(), "haproxy is not installed (scripts/install-prerequisites)");
    }

    static void figure(String line) throws Exception {
        System.out.println(line);
        Files.writeString(Path.of("target", "failover-timings.txt"), line + "\n",
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }

    static String ms(Duration d) {
        return d == null ? "n/a" : String.format(Locale.ROOT, "%.3f s", d.toNanos() / 1e9);
    }

    List<SandboxInstance> others(SandboxInstance except) {
        return sandbox().instances().stream().filter(i -> !i.equals(except)).toList();
    }

    @Test
    void switchoverUnderAWriterThroughHaproxyLosesNothing() throws Exception {
        Sandbox sb = sandbox();
        SandboxInstance target = sb.replicas().get(1);
        try (HaproxyProcess hp = HaproxyProcess.start(sb); HookServer hooks = new HookServer();
             FailoverHarness h = new FailoverHarness(sb, hp.yaml(Duration.ofSeconds(5)) + "hooks:\n"
                     + "  - {name: pool, type: http, url: '" + hooks.url("/pool") + "', "
                     + "events: [replica_out_of_pool, replica_into_pool]}\n")) {
            Await.until("HAProxy routing writes to the primary and reads to both replicas", Duration.ofSeconds(20),
                    () -> hp.ready(HaproxyProcess.WRITER) + " " + hp.ready(HaproxyProcess.READERS),
                    s -> s.equals("[s0] [s1, s2]"));
            h.writer = new RowWriter(hp.writerPort, 200);
            Await.until("writes through HAProxy", Duration.ofSeconds(20), () -> h.writer.acknowledged().size(),
                    n -> n >= 50);
            Instant asked = Instant.now();
            Cli.Run run = Cli.run("switchover", "-c", h.configFile.toString(), "--cluster", "sandbox", "--to",
                    target.key().toString());
            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.out()).contains("switchover " + sb.primary().key() + " -> " + target.key())
                    .contains("Writes paused");
            Operation op = h.cluster.operations().stream().filter(o -> o.plan().kind() == PlanKind.SWITCHOVER)
                    .findFirst().orElseThrow();
            assertThat(op.outcome()).isEqualTo(Operation.Outcome.SUCCEEDED);
            assertThat(hp.ready(HaproxyProcess.WRITER)).as("HAProxy routes writes to the new primary when the "
                    + "operation reports success").containsExactly(target.name());
            int before = h.writer.acknowledged().size();
            Await.until("writes through HAProxy to the new primary", Duration.ofSeconds(20),
                    () -> h.writer.acknowledged().size(), n -> n >= before + 50);
            Duration outage = h.writer.outageAfter(asked);
            h.writer.close();
            h.assertOnePrimary(target, others(target));
            assertThat(RootSql.replication(sb, sb.primary())).as("the old primary replicates from the new one")
                    .isEqualTo("127.0.0.1:" + target.port() + " Yes Yes");
            assertThat(h.lostAckedRows(target)).as("no acknowledged write lost").isZero();
            h.assertNoErrant(target, others(target));
            figure("SWITCHOVER " + sb.flavor() + ": write pause " + ms(op.writePause())
                    + " (old primary read-only to new primary writable), client-visible write outage through HAProxy "
                    + ms(outage) + ", acknowledged rows lost 0, errant GTIDs 0");

            // The reader pool follows replica health: a replica that stops applying leaves it, and comes back.
            SandboxInstance replica = sb.replicas().get(0);
            RootSql.replicaCommand(sb, replica, Dialect::stopReplicaSqlThread);
            Await.until(replica.name() + " out of the reader pool", Duration.ofSeconds(20),
                    () -> hp.ready(HaproxyProcess.READERS), r -> !r.contains(replica.name()));
            RootSql.replicaCommand(sb, replica, Dialect::startReplicaSqlThread);
            Await.until(replica.name() + " back in the reader pool", Duration.ofSeconds(20),
                    () -> hp.ready(HaproxyProcess.READERS), r -> r.contains(replica.name()));
            String about = "\"server\":\"" + replica.key() + "\"";
            Await.until("both pool events told about " + replica.key(), Duration.ofSeconds(10),
                    () -> hooks.received("/pool").stream().filter(r -> r.text().contains(about))
                            .map(HookServer.Received::event).toList(),
                    e -> e.contains("replica_out_of_pool") && e.lastIndexOf("replica_into_pool")
                            > e.indexOf("replica_out_of_pool"));
        }
    }

    @Test
    void aSwitchoverThatCannotCatchUpIsRolledBack() throws Exception {
        Sandbox sb = sandbox();
        SandboxInstance target = sb.replicas().get(0);
        try (HookServer hooks = new HookServer();
             FailoverHarness h = new FailoverHarness(sb, "switchover:\n  catch_up_timeout: 1500ms\nhooks:\n"
                     + "  - {name: stall, type: http, class: gate, url: '" + hooks.url("/stall") + "', "
                     + "events: [pre_switchover]}\n")) {
            // The hook runs after the precheck passed: it stops the candidate's SQL thread, then the primary takes
            // one more write, so the candidate cannot reach the primary's position.
            hooks.on("/stall", () -> {
                RootSql.replicaCommand(sb, target, Dialect::stopReplicaSqlThread);
                RootSql.exec(sb, sb.primary(), "CREATE DATABASE IF NOT EXISTS one_more");
            });
            Cli.Run run = Cli.run("switchover", "-c", h.configFile.toString(), "--cluster", "sandbox", "--to",
                    target.key().toString());
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
            assertThat(run.out()).contains("ROLLED BACK").contains("did not execute")
                    .contains("make " + sb.primary().key() + " writable again");
            Operation op = h.cluster.operations().stream().filter(o -> o.plan().kind() == PlanKind.SWITCHOVER)
                    .findFirst().orElseThrow();
            assertThat(op.outcome()).isEqualTo(Operation.Outcome.ROLLED_BACK);
            assertThat(RootSql.value(sb, sb.primary(), "SELECT @@read_only")).as("old primary writable").isEqualTo("0");
            assertThat(RootSql.replication(sb, sb.primary())).isNull();
            assertThat(RootSql.replication(sb, target)).as("the candidate is still a replica of the old primary")
                    .isEqualTo("127.0.0.1:" + sb.primary().port() + " Yes No");
            assertThat(RootSql.replication(sb, sb.replicas().get(1)))
                    .isEqualTo("127.0.0.1:" + sb.primary().port() + " Yes Yes");
            assertThat(RootSql.value(sb, target, "SELECT @@read_only")).isEqualTo("1");
        }
    }

    @Test
    void aFailingGateHookStopsSwitchoverAndFailoverBeforeAnythingChanges() throws Exception {
        Sandbox sb = sandbox();
        try (HookServer hooks = new HookServer();
             FailoverHarness h = new FailoverHarness(sb, "hooks:\n"
                     + "  - {name: veto, type: http, class: gate, retries: 1, backoff: 50ms, url: '" + hooks.url("/fail")
                     + "', events: [pre_switchover, pre_failover]}\n"
                     + "  - {name: slow, type: http, class: gate, timeout: 300ms, retries: 0, url: '" + hooks.url("/slow")
                     + "', events: [pre_switchover]}\n")) {
            Cli.Run run = Cli.run("switchover", "-c", h.configFile.toString(), "--cluster", "sandbox");
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
            assertThat(run.out()).contains("FAILED").contains("gate hook").contains("nothing was changed");
            Operation sw = h.cluster.operations().get(0);
            assertThat(sw.hooks()).extracting(HookOutcome::hook, HookOutcome::status, HookOutcome::attempts)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple("veto", HookOutcome.Status.FAILED, 2),
                            org.assertj.core.groups.Tuple.tuple("slow", HookOutcome.Status.TIMED_OUT, 1));
            assertThat(RootSql.value(sb, sb.primary(), "SELECT @@read_only")).isEqualTo("0");
            for (SandboxInstance r : sb.replicas()) {
                assertThat(RootSql.replication(sb, r)).isEqualTo("127.0.0.1:" + sb.primary().port() + " Yes Yes");
            }
            assertThat(hooks.received("/fail")).extracting(HookServer.Received::idempotencyKey).hasSize(2)
                    .as("retries carry the same idempotency key").containsOnly(hooks.received("/fail").get(0)
                            .idempotencyKey());

            sb.kill(sb.primary());
            Operation fo = h.awaitFailover(1, Duration.ofSeconds(30));
            assertThat(fo.outcome()).isEqualTo(Operation.Outcome.FAILED);
            assertThat(fo.summary()).contains("gate hook veto");
            for (SandboxInstance r : sb.replicas()) {
                assertThat(RootSql.value(sb, r, "SELECT @@read_only")).as("nobody was promoted").isEqualTo("1");
                assertThat(RootSql.replication(sb, r)).startsWith("127.0.0.1:" + sb.primary().port() + " ");
            }
        }
    }

    @Test
    void bestEffortHooksAreRecordedSignedAndKilledAtTheirTimeout() throws Exception {
        Sandbox sb = sandbox();
        Path pidFile = sb.spec().dir().resolve("hook.pid");
        try (HookServer hooks = new HookServer();
             FailoverHarness h = new FailoverHarness(sb, "hooks:\n"
                     + "  - {name: signed, type: http, secret: s3cret, url: '" + hooks.url("/ok")
                     + "', events: [pre_switchover, post_switchover]}\n"
                     + "  - {name: broken, type: http, retries: 2, backoff: 20ms, url: '" + hooks.url("/fail")
                     + "', events: [post_switchover]}\n"
                     + "  - {name: hung, type: command, timeout: 500ms, retries: 0, events: [post_switchover], "
                     + "command: [sh, -c, 'echo $$$$ > " + pidFile + "; exec sleep 30']}\n"
                     + "  - {name: env, type: command, events: [post_switchover], "
                     + "command: [sh, -c, 'test \"$WARDEN_EVENT\" = post_switchover && grep -q new_primary']}\n")) {
            Cli.Run run = Cli.run("switchover", "-c", h.configFile.toString(), "--cluster", "sandbox");
            assertThat(run.exitCode()).as(run.toString()).isZero();
            Operation op = h.cluster.operations().get(0);
            assertThat(op.outcome()).isEqualTo(Operation.Outcome.SUCCEEDED);
            // Post hooks run in the background (they must not hold the cluster's lock): their outcomes join the
            // record as they end.
            op = Await.until("the post_switchover hooks' outcomes", Duration.ofSeconds(20),
                    () -> h.cluster.operations().get(0), o -> o.hooks().size() >= 5);
            assertThat(op.hooks()).extracting(o -> o.hook() + " " + o.event() + " " + o.status() + " " + o.attempts())
                    .containsExactlyInAnyOrder("signed pre_switchover OK 1", "signed post_switchover OK 1",
                            "broken post_switchover FAILED 3", "hung post_switchover TIMED_OUT 1",
                            "env post_switchover OK 1");
            assertThat(op.hooks().stream().filter(o -> o.hook().equals("hung")).findFirst().orElseThrow().detail())
                    .contains("killed");
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            Await.until("the hung hook's process to be gone", Duration.ofSeconds(5),
                    () -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), alive -> !alive);
            List<HookServer.Received> signed = hooks.received("/ok");
            assertThat(signed).hasSize(2).allSatisfy(r -> {
                assertThat(r.signedWith("s3cret")).as("signature verifies").isTrue();
                assertThat(r.signedWith("wrong")).isFalse();
            });
            HookServer.Received post = signed.stream().filter(r -> "post_switchover".equals(r.event())).findFirst()
                    .orElseThrow();
            assertThat(post.text()).contains("\"event\":\"post_switchover\"").contains("\"cluster\":\"sandbox\"")
                    .contains("\"old_primary\":\"" + sb.primary().key() + "\"")
                    .contains("\"new_primary\":\"" + op.plan().candidate() + "\"")
                    .contains("\"operation_id\":\"" + op.id() + "\"");
            assertThat(post.idempotencyKey()).isEqualTo(op.id() + ":post_switchover:signed");
        }
    }

    @Test
    void aWriterThroughHaproxyKeepsWorkingAcrossAKill9Failover() throws Exception {
        Sandbox sb = sandbox();
        try (HaproxyProcess hp = HaproxyProcess.start(sb);
             FailoverHarness h = new FailoverHarness(sb, hp.yaml(Duration.ofSeconds(5)))) {
            Await.until("HAProxy routing writes to the primary", Duration.ofSeconds(20),
                    () -> hp.ready(HaproxyProcess.WRITER), w -> w.equals(List.of("s0")));
            h.writer = new RowWriter(hp.writerPort, 200);
            Await.until("writes through HAProxy", Duration.ofSeconds(20), () -> h.writer.acknowledged().size(),
                    n -> n >= 50);
            Instant fault = Instant.now();
            sb.kill(sb.primary());
            Operation op = h.awaitFailover(1, Duration.ofSeconds(30));
            assertThat(op.outcome()).as(op.summary()).isEqualTo(Operation.Outcome.SUCCEEDED);
            SandboxInstance np = FailoverScenarios.instanceAt(sb, op.plan().candidate());
            assertThat(hp.ready(HaproxyProcess.WRITER)).containsExactly(np.name());
            int before = h.writer.acknowledged().size();
            Await.until("writes resumed through HAProxy", Duration.ofSeconds(20), () -> h.writer.acknowledged().size(),
                    n -> n >= before + 50);
            Duration outage = h.writer.outageAfter(fault);
            long lost = h.lostAckedRows(np);
            figure("FAILOVER-OUTAGE " + sb.flavor() + " kill -9 through HAProxy: writes failed for " + ms(outage)
                    + ", acknowledged rows lost " + lost);
        }
    }

    @Test
    void concurrentSwitchoverRequestsRunOneAtATime() throws Exception {
        Sandbox sb = sandbox();
        try (HookServer hooks = new HookServer();
             FailoverHarness h = new FailoverHarness(sb, "hooks:\n  - {name: slow, type: http, class: gate, "
                     + "timeout: 5s, url: '" + hooks.url("/slow") + "', events: [pre_switchover]}\n")) {
            var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                var first = pool.submit(() -> Cli.run("switchover", "-c", h.configFile.toString(), "--cluster",
                        "sandbox"));
                Await.until("the first switchover to hold the lock", Duration.ofSeconds(10),
                        () -> h.cluster.running().isPresent(), r -> r);
                Cli.Run second = Cli.run("switchover", "-c", h.configFile.toString(), "--cluster", "sandbox");
                assertThat(second.exitCode()).isEqualTo(1);
                assertThat(second.out()).contains("operation in progress").contains("already running");
                var api = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create("http://127.0.0.1:" + h.config.http().port()
                                        + "/api/clusters/sandbox/switchover"))
                        .header("Content-Type", "application/json")
                        .header("Authorization", dev.warden.testing.SandboxToken.header(sb.spec().dir()))
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                assertThat(api.statusCode()).isEqualTo(409);
                assertThat(first.get().exitCode()).as(first.get().toString()).isZero();
            } finally {
                pool.shutdownNow();
            }
            assertThat(h.cluster.operations()).hasSize(1);
        }
    }
}
