package dev.warden.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.config.ConfigLoader;
import dev.warden.config.HttpSettings;
import dev.warden.config.WardenConfig;
import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxInstance;
import dev.warden.testing.Await;
import dev.warden.web.WebServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The daemon's loop and its HTTP endpoints against a real cluster. */
abstract class DaemonScenarios {

    abstract Sandbox sandbox();

    static HttpResponse<String> get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void watchesTheClusterEveryCycleAndServesWhatItSees() throws Exception {
        Sandbox sb = sandbox();
        WardenConfig cfg = ConfigLoader.load(sb.configFile()).config();
        try (Monitor monitor = new Monitor(cfg, Clock.systemUTC(), "test-daemon");
             WebServer web = WebServer.start(new HttpSettings("127.0.0.1", 0), monitor)) {
            monitor.start();
            ClusterMonitor cluster = monitor.cluster("sandbox").orElseThrow();
            ClusterMonitor.Cycle healthy = Await.until("a cycle with heartbeat lag", Duration.ofSeconds(20),
                    () -> cluster.latest().orElse(null),
                    c -> c != null && c.number() >= 3 && c.sentence().contains("max lag <="));
            assertThat(healthy.sentence()).startsWith("cluster sandbox: primary " + sb.primary().key()
                    + " writable, 2/2 replicas replicating, max lag <=0.");
            assertThat(healthy.topology().primary().orElseThrow().key()).isEqualTo(sb.primary().key());

            HttpResponse<String> health = get(web.port(), "/healthz");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\":\"up\"");
            HttpResponse<String> clusters = get(web.port(), "/api/clusters/sandbox");
            assertThat(clusters.statusCode()).isEqualTo(200);
            assertThat(clusters.headers().firstValue("content-type").orElse("")).contains("application/json");
            for (SandboxInstance i : sb.instances()) {
                assertThat(clusters.body()).contains("\"address\":\"" + i.key() + "\"");
            }
            HttpResponse<String> unknown = get(web.port(), "/api/clusters/nope");
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(unknown.body()).contains("\"error\":\"unknown cluster\"").contains("nope");
            HttpResponse<String> console = get(web.port(), "/");
            assertThat(console.statusCode()).isEqualTo(200);
            assertThat(console.body()).contains("<title>Warden</title>");

            SandboxInstance victim = sb.replicas().get(1);
            sb.kill(victim);
            ClusterMonitor.Cycle degraded = Await.until("the next cycles to report the dead replica",
                    Duration.ofSeconds(20), () -> cluster.latest().orElseThrow(),
                    c -> c.sentence().contains(victim.key() + " unreachable (refused)"));
            assertThat(degraded.sentence()).contains("1/2 replicas replicating");
            assertThat(get(web.port(), "/api/clusters").body()).contains("refused");
        }
    }
}
