package dev.warden.failover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.actions.Operation;
import dev.warden.bench.RowWriter;
import dev.warden.sandbox.HaproxyProcess;
import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxFlavor;
import dev.warden.sandbox.SandboxInstance;
import dev.warden.testing.Await;
import dev.warden.testing.RootSql;
import dev.warden.testing.SandboxExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real HAProxy wired by its own HTTP health checks against Warden's /lb/ endpoints (no admin socket): through a
 * kill -9 failover under a writer, writes resume on the new primary, and the old primary is never marked up again,
 * not even when it comes back and is made writable by hand.
 */
class LbChecksMysql8IT {

    @RegisterExtension
    final SandboxExtension sandbox = SandboxExtension.of(SandboxFlavor.MYSQL8);

    @Test
    void haproxyCheckingWardenFollowsAKill9FailoverAndNeverTakesTheOldPrimaryBack() throws Exception {
        Assumptions.assumeTrue(HaproxyProcess.installed(), "haproxy is not installed (scripts/install-prerequisites)");
        Sandbox sb = sandbox.sandbox();
        SandboxInstance old = sb.primary();
        String oldName = "127.0.0.1:" + old.port();
        try (FailoverHarness h = new FailoverHarness(sb, null);
             HaproxyProcess hp = HaproxyProcess.checkedBy(sb, h.config.http().port())) {
            List<String> replicas = sb.replicas().stream().map(r -> "127.0.0.1:" + r.port()).sorted().toList();
            Await.until("HAProxy's checks marking the primary up for writes", Duration.ofSeconds(20),
                    () -> hp.up(HaproxyProcess.WRITER), w -> w.equals(List.of(oldName)));
            Await.until("and the replicas up for reads", Duration.ofSeconds(20),
                    () -> hp.up(HaproxyProcess.READERS).stream().sorted().toList(), replicas::equals);
            assertThat(get(h, "/lb/sandbox/primary/" + oldName)).isEqualTo("200 up: " + oldName
                    + " is the writable primary");
            assertThat(head(h, "/lb/sandbox/primary/" + oldName)).isEqualTo(200);
            assertThat(head(h, "/lb/sandbox/primary/" + replicas.get(0))).isEqualTo(503);
            assertThat(get(h, "/lb/sandbox/primary/nonsense")).startsWith("400 'nonsense' is not host:port");
            assertThat(get(h, "/lb/sandbox/replica/" + replicas.get(0) + "?max_lag=soon")).startsWith("400 max_lag:");
            assertThat(get(h, "/lb/nope/primary/" + oldName)).startsWith("404 no cluster named 'nope'");

            h.writer = new RowWriter(hp.writerPort, 200);
            Await.until("writes through HAProxy", Duration.ofSeconds(20), () -> h.writer.acknowledged().size(),
                    n -> n >= 50);
            AtomicBoolean watching = new AtomicBoolean(true);
            List<String> oldUp = new CopyOnWriteArrayList<>();
            Thread watcher = new Thread(() -> {
                while (watching.get()) {
                    if (hp.up(HaproxyProcess.WRITER).contains(oldName)) {
                        oldUp.add(java.time.Instant.now().toString());
                    }
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            sb.kill(old);
            // Until Warden's next probe and HAProxy's next check, the killed server still counts as up (it takes no
            // writes: it is dead); from the moment HAProxy marks it down, it must never be up again.
            Await.until("HAProxy's checks marking the killed primary down", Duration.ofSeconds(10),
                    () -> hp.up(HaproxyProcess.WRITER), w -> !w.contains(oldName));
            watcher.start();
            try {
                Operation op = h.awaitFailover(1, Duration.ofSeconds(30));
                assertThat(op.outcome()).as(op.summary()).isEqualTo(Operation.Outcome.SUCCEEDED);
                SandboxInstance np = FailoverScenarios.instanceAt(sb, op.plan().candidate());
                String npName = "127.0.0.1:" + np.port();
                Await.until("HAProxy's checks moving writes to the new primary", Duration.ofSeconds(10),
                        () -> hp.up(HaproxyProcess.WRITER), w -> w.equals(List.of(npName)));
                int before = h.writer.acknowledged().size();
                Await.until("writes resumed through HAProxy", Duration.ofSeconds(20),
                        () -> h.writer.acknowledged().size(), n -> n >= before + 50);

                // The old primary comes back and somebody makes it writable: fenced, it is still never up.
                SandboxInstance back = sb.restart(old);
                RootSql.exec(sb, back, "SET GLOBAL super_read_only = OFF", "SET GLOBAL read_only = OFF");
                Await.until("Warden to answer for the returned old primary", Duration.ofSeconds(10),
                        () -> get(h, "/lb/sandbox/primary/" + oldName), a -> !a.contains("unreachable"));
                assertThat(get(h, "/lb/sandbox/primary/" + oldName)).startsWith("503 down: ");
                Await.until("Warden to make it read-only again", Duration.ofSeconds(15),
                        () -> RootSql.value(sb, back, "SELECT @@read_only"), "1"::equals);
                Await.until("writes still flowing to the new primary", Duration.ofSeconds(20),
                        () -> h.writer.acknowledged().size(), n -> n >= before + 150);
                assertThat(hp.up(HaproxyProcess.WRITER)).containsExactly(npName);
            } finally {
                watching.set(false);
                watcher.join(5000);
            }
            assertThat(oldUp).as("times HAProxy had the old primary up for writes again after marking it down").isEmpty();
            // Asynchronous replication: a kill -9 can take the newest acknowledged rows with it (what the salvage
            // issue is about); the figure is printed as the runtime-API test prints it, not asserted.
            long lost = h.lostAckedRows(FailoverScenarios.instanceAt(sb, h.failovers().get(0).plan().candidate()));
            SwitchoverScenarios.figure("LB-CHECKS " + sb.flavor() + " kill -9 through HAProxy's own checks: "
                    + "acknowledged rows lost " + lost);
        }
    }

    /** The status of a HEAD on the daemon's port. */
    static int head(FailoverHarness h, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + h.config.http().port() + path)).method("HEAD", HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** "STATUS BODY" of a GET on the daemon's port. */
    static String get(FailoverHarness h, String path) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + h.config.http().port() + path)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() + " " + r.body().strip();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
