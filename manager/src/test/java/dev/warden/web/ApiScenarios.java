package dev.warden.web;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxCredentials;
import dev.warden.testing.Await;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

/**
 * The JSON API of a running daemon over real HTTP, against a real sandbox: access control by role, CSRF, tokens,
 * login throttling, plans, refusals, errors, the event stream, metrics, readiness — and no secret anywhere.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ApiScenarios {

    abstract Sandbox sandbox();

    ConsoleHarness h;
    final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeAll
    void start() throws Exception {
        logs.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
        h = new ConsoleHarness(sandbox(), "");
    }

    @AfterAll
    void stop() {
        if (h != null) {
            h.close();
        }
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    }

    @Test
    void nobodyGetsInWithoutLoggingIn_butHealthAndTheLoginPageAnswer() {
        ApiClient anon = h.anonymous();
        ApiClient.Response clusters = anon.get("/api/clusters");
        assertThat(clusters.status()).isEqualTo(401);
        assertThat(clusters.json().path("error").asText()).isEqualTo("not logged in");
        assertThat(anon.post("/api/clusters/sandbox/maintenance", "{\"enabled\":true}").status()).isEqualTo(401);
        assertThat(anon.get("/metrics").status()).isEqualTo(401);
        assertThat(anon.get("/healthz").json().path("status").asText()).isEqualTo("up");
        ApiClient.Response ready = anon.get("/readyz");
        assertThat(ready.status()).as(ready.body()).isEqualTo(200);
        assertThat(ready.json().path("problems")).isEmpty();
        assertThat(anon.get("/api/session").json().path("authenticated").asBoolean()).isFalse();
        assertThat(anon.get("/login.html").body()).contains("<form id=\"login\"");
        ApiClient.Response unknown = h.token(ConsoleHarness.VIEWER_TOKEN).get("/api/nope");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("error").asText()).isEqualTo("not found");
    }

    @Test
    void aViewerReadsEverythingButChangesNothing() {
        ApiClient vera = h.as(ConsoleHarness.VIEWER, ConsoleHarness.VIEWER_PASSWORD);
        JsonNode c = vera.get("/api/clusters/sandbox").json();
        assertThat(c.path("servers")).hasSize(3);
        assertThat(c.path("servers").get(0).path("role").asText()).isEqualTo("primary");
        assertThat(c.path("servers").get(1).has("lagSeconds")).isTrue();
        assertThat(c.path("controls").path("maintenance").asBoolean()).isFalse();
        assertThat(c.path("health").asText()).isEqualTo("healthy");
        ApiClient.Response change = vera.post("/api/clusters/sandbox/maintenance", "{\"enabled\":true}");
        assertThat(change.status()).isEqualTo(403);
        assertThat(change.json().path("detail").asText()).contains("vera is a viewer")
                .contains("needs operator or above");
        assertThat(h.monitor.cluster("sandbox").orElseThrow().controls().maintenance()).isFalse();
        assertThat(vera.get("/api/audit").status()).as("the audit needs an operator").isEqualTo(403);
    }

    @Test
    void aConsoleSessionMustSendTheCsrfTokenWithEveryChange() {
        ApiClient otto = h.as(ConsoleHarness.OPERATOR, ConsoleHarness.OPERATOR_PASSWORD);
        ApiClient.Response forged = otto.withoutCsrf().post("/api/clusters/sandbox/maintenance",
                "{\"enabled\":true}");
        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.json().path("error").asText()).isEqualTo("missing or wrong CSRF token");
        ApiClient.Response form = otto.post("/api/clusters/sandbox/maintenance", "enabled=true",
                "application/x-www-form-urlencoded");
        assertThat(form.status()).isEqualTo(415);
        assertThat(h.monitor.cluster("sandbox").orElseThrow().controls().maintenance()).isFalse();

        ApiClient.Response on = otto.post("/api/clusters/sandbox/maintenance",
                "{\"enabled\":true,\"for\":\"10m\",\"reason\":\"api test\"}");
        assertThat(on.status()).as(on.body()).isEqualTo(200);
        assertThat(h.monitor.cluster("sandbox").orElseThrow().controls().maintenance()).isTrue();
        assertThat(otto.post("/api/clusters/sandbox/maintenance", "{\"enabled\":false}").status()).isEqualTo(200);
        JsonNode audit = otto.get("/api/audit?limit=20").json();
        assertThat(audit.toString()).contains("\"who\":\"otto\"").contains("\"source\":\"127.0.0.1\"")
                .contains("maintenance on").contains("\"outcome\":\"denied\"");
    }

    @Test
    void tokensAreForAutomation_unknownOnesAreRefused() {
        ApiClient ci = h.token(ConsoleHarness.OPERATOR_TOKEN);
        assertThat(ci.get("/api/clusters").status()).isEqualTo(200);
        assertThat(ci.post("/api/clusters/sandbox/acknowledge", "{}").status()).isEqualTo(200);
        ApiClient.Response bad = h.token("wdn_not-a-real-token").get("/api/clusters");
        assertThat(bad.status()).isEqualTo(401);
        assertThat(bad.json().path("error").asText()).isEqualTo("unknown token");
        assertThat(h.token(ConsoleHarness.VIEWER_TOKEN).post("/api/clusters/sandbox/acknowledge", "{}").status())
                .isEqualTo(403);
    }

    @Test
    void repeatedFailedLoginsAreSlowedDown() {
        ApiClient mallory = h.anonymous();
        for (int i = 0; i < 3; i++) {
            ApiClient.Response r = mallory.login(ConsoleHarness.ADMIN, "guess-" + i);
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.json().path("detail").asText()).isEqualTo("wrong user name or password");
        }
        ApiClient.Response slowed = mallory.login(ConsoleHarness.ADMIN, ConsoleHarness.ADMIN_PASSWORD);
        assertThat(slowed.status()).as("even the right password waits once the name is throttled").isEqualTo(429);
        assertThat(slowed.header("Retry-After")).isNotNull();
        ApiClient.Response wait = Await.until("the login to be allowed again", Duration.ofSeconds(10),
                () -> mallory.login(ConsoleHarness.ADMIN, ConsoleHarness.ADMIN_PASSWORD), r -> r.status() != 429);
        assertThat(wait.status()).isEqualTo(200);
    }

    @Test
    void thePlanShowsTheCandidateTheDataLossBoundAndTheSteps() {
        // The heartbeat is written every cycle: a cycle may see it on the primary before a replica applied it.
        JsonNode plan = Await.until("a plan from a cycle that saw the replicas caught up", Duration.ofSeconds(10),
                () -> h.token(ConsoleHarness.VIEWER_TOKEN).get("/api/clusters/sandbox/plan").json().path("plan"),
                pl -> pl.path("knownMissingTransactions").asLong(-1) == 0);
        String primary = h.token(ConsoleHarness.VIEWER_TOKEN).get("/api/clusters/sandbox").json().path("primary")
                .asText();
        assertThat(plan.path("oldPrimary").asText()).isEqualTo(primary);
        assertThat(plan.path("candidate").asText()).isNotEqualTo(primary).startsWith("127.0.0.1:");
        assertThat(plan.path("steps").toString()).contains("\"kind\":\"fence\"").contains("\"kind\":\"promote\"");
    }

    @Test
    void aFailoverOfAHealthyPrimaryIsRefused_forcingItNeedsAnAdminAndAReason() {
        ApiClient otto = h.token(ConsoleHarness.OPERATOR_TOKEN);
        ApiClient.Response refused = otto.post("/api/clusters/sandbox/failover", "{}");
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json().path("reasons").get(0).asText()).contains("is not confirmed dead")
                .contains("Use a switchover");
        assertThat(otto.post("/api/clusters/sandbox/failover", "{\"force\":true,\"reason\":\"disk dying\"}")
                .status()).isEqualTo(403);
        ApiClient ada = h.token(ConsoleHarness.ADMIN_TOKEN);
        ApiClient.Response noReason = ada.post("/api/clusters/sandbox/failover", "{\"force\":true}");
        assertThat(noReason.status()).isEqualTo(400);
        assertThat(noReason.json().path("detail").asText()).contains("needs a 'reason'");
        ApiClient.Response dry = ada.post("/api/clusters/sandbox/failover",
                "{\"force\":true,\"reason\":\"disk dying\",\"dryRun\":true}");
        assertThat(dry.status()).as(dry.body()).isEqualTo(200);
        assertThat(dry.json().path("plan").path("trigger").asText()).contains("forced failover by root-bot")
                .contains("disk dying");
        assertThat(h.monitor.operations().recent("sandbox", 10)).noneMatch(o -> o.plan().kind().name()
                .equals("FAILOVER"));
    }

    @Test
    void malformedRequestsSayWhatIsWrong() {
        ApiClient otto = h.token(ConsoleHarness.OPERATOR_TOKEN);
        ApiClient.Response notJson = otto.post("/api/clusters/sandbox/switchover", "{to:");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.json().path("detail").asText()).contains("must be a JSON object");
        assertThat(otto.post("/api/clusters/sandbox/switchover", "{\"to\":\"not an address\"}").status())
                .isEqualTo(400);
        ApiClient.Response stranger = otto.post("/api/clusters/sandbox/switchover", "{\"to\":\"10.9.9.9:3306\"}");
        assertThat(stranger.status()).isEqualTo(404);
        assertThat(stranger.json().path("detail").asText()).contains("is not a server of cluster sandbox");
        assertThat(otto.post("/api/clusters/nope/switchover", "{}").status()).isEqualTo(404);
        assertThat(otto.get("/api/operations/op-nope").status()).isEqualTo(404);
        assertThat(otto.get("/api/operations?limit=lots").json().path("detail").asText())
                .contains("limit must be a number from 1 to 500");
        assertThat(otto.post("/api/clusters/sandbox/maintenance", "{\"enabled\":true,\"for\":\"soon\"}").status())
                .isEqualTo(400);
    }

    /** Moves the primary: the stream must show the operation step by step; the metrics must count it. */
    @Test
    void theStreamCarriesClustersAndOperationProgress_andTheMetricsCountIt() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<java.io.InputStream> stream = client.send(HttpRequest.newBuilder(URI.create(h.base()
                        + "/api/stream")).header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + ConsoleHarness.VIEWER_TOKEN).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                String event = null;
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith("event: ")) {
                        event = line.substring(7);
                    } else if (line.startsWith("data: ")) {
                        events.add(event + " " + line.substring(6));
                    }
                }
            } catch (Exception e) {
                // stream closed
            }
        });
        reader.setDaemon(true);
        reader.start();
        try {
            Await.until("hello and a cluster event", Duration.ofSeconds(10), () -> List.copyOf(events),
                    e -> e.stream().anyMatch(x -> x.startsWith("hello "))
                            && e.stream().anyMatch(x -> x.startsWith("cluster {\"name\":\"sandbox\"")));
            ApiClient.Response sw = h.token(ConsoleHarness.OPERATOR_TOKEN).post("/api/clusters/sandbox/switchover",
                    "{}");
            assertThat(sw.status()).as(sw.body()).isEqualTo(200);
            assertThat(sw.json().path("outcome").asText()).isEqualTo("SUCCEEDED");
            String id = sw.json().path("id").asText();
            List<String> progress = Await.until("the operation's end on the stream", Duration.ofSeconds(10),
                    () -> events.stream().filter(e -> e.startsWith("operation ") && e.contains(id)).toList(),
                    l -> l.stream().anyMatch(e -> e.contains("\"outcome\":\"SUCCEEDED\"")));
            assertThat(progress).as("one event per step start and end, not just the result").hasSizeGreaterThan(6);
            assertThat(progress.get(0)).contains("\"outcome\":\"RUNNING\"");
            assertThat(progress).anySatisfy(e -> assertThat(e).contains("\"status\":\"RUNNING\""));
        } finally {
            stream.body().close();
        }
        String metrics = Await.until("the switchover counted", Duration.ofSeconds(10),
                () -> h.token(ConsoleHarness.VIEWER_TOKEN).get("/metrics").body(),
                m -> m.contains("warden_operations_total{cluster=\"sandbox\",kind=\"switchover\",outcome=\"succeeded\"} 1"));
        assertThat(metrics).contains("warden_probe_seconds_bucket{cluster=\"sandbox\",server=\"127.0.0.1:")
                .contains("warden_replica_lag_seconds{cluster=\"sandbox\",server=")
                .contains("warden_findings{cluster=\"sandbox\",code=\"DeadPrimary\"}")
                .contains("warden_operation_phase_seconds_count{cluster=\"sandbox\",kind=\"switchover\",phase=\"promote\"} 1")
                .contains("warden_switchover_write_pause_seconds_count{cluster=\"sandbox\"} 1");
    }

    @Test
    void noSecretAppearsInTheApiTheMetricsOrTheLog() {
        ApiClient ada = h.as(ConsoleHarness.ADMIN, ConsoleHarness.ADMIN_PASSWORD);
        List<String> seen = new ArrayList<>();
        for (String path : List.of("/api/clusters", "/api/clusters/sandbox", "/api/clusters/sandbox/plan",
                "/api/clusters/sandbox/history", "/api/operations", "/api/audit", "/api/session", "/metrics",
                "/readyz")) {
            seen.add(ada.get(path).body());
        }
        logs.list.forEach(e -> seen.add(e.getFormattedMessage()));
        List<String> secrets = List.of(SandboxCredentials.WARDEN_PASSWORD, SandboxCredentials.REPL_PASSWORD,
                ConsoleHarness.VIEWER_PASSWORD, ConsoleHarness.OPERATOR_PASSWORD, ConsoleHarness.ADMIN_PASSWORD,
                ConsoleHarness.VIEWER_TOKEN, ConsoleHarness.OPERATOR_TOKEN, ConsoleHarness.ADMIN_TOKEN, "pbkdf2-sha256$",
                "sha256$");
        for (String text : seen) {
            for (String secret : secrets) {
                assertThat(text).doesNotContain(secret);
            }
        }
    }
}
