package dev.warden.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.config.ConfigLoader;
import dev.warden.config.HttpSettings;
import dev.warden.config.WardenConfig;
import dev.warden.config.StoreSettings;
import dev.warden.store.Store;
import java.time.Instant;
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

    HttpResponse<String> get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", dev.warden.testing.SandboxToken.header(sandbox().spec().dir())).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void watchesTheClusterEveryCycleAndServesWhatItSees() throws Exception {
        Sandbox sb = sandbox();
        WardenConfig cfg = ConfigLoader.load(sb.configFile()).config();
        try (Store store = Store.open(StoreSettings.sqlite(sb.spec().dir().resolve("daemon-" + System.nanoTime()
                + ".db")), Clock.systemUTC(), "test-daemon");
             Monitor monitor = new Monitor(cfg, Clock.systemUTC(), "test-daemon", store);
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

    @Test
    void operatorControlsSurviveARestartAndAMaintenanceWindowEndsByItself() throws Exception {
        Sandbox sb = sandbox();
        WardenConfig cfg = ConfigLoader.load(sb.configFile()).config();
        StoreSettings settings = StoreSettings.sqlite(sb.spec().dir().resolve("controls-" + System.nanoTime() + ".db"));
        SandboxInstance replica = sb.replicas().get(0);
        Actor alice = new Actor("alice", "10.0.0.7");
        try (Store store = Store.open(settings, Clock.systemUTC(), "first");
             Monitor first = new Monitor(cfg, Clock.systemUTC(), "first", store)) {
            ClusterMonitor c = first.cluster("sandbox").orElseThrow();
            c.maintenance(true, Instant.now().plusSeconds(2), alice, "kernel upgrade");
            c.maintenance(replica.key(), true, null, alice, "disk swap");
        }
        try (Store store = Store.open(settings, Clock.systemUTC(), "second");
             Monitor second = new Monitor(cfg, Clock.systemUTC(), "second", store)) {
            ClusterMonitor c = second.cluster("sandbox").orElseThrow();
            assertThat(c.controls().maintenance()).as("cluster maintenance restored from the store").isTrue();
            assertThat(c.controls().serversInMaintenance()).containsExactly(replica.key());
            second.start();
            Await.until("the cluster window to end by itself", Duration.ofSeconds(20), c::controls,
                    x -> !x.maintenance());
            assertThat(c.controls().serversInMaintenance()).containsExactly(replica.key());
            var windows = store.controls().maintenanceHistory("sandbox", 10);
            assertThat(windows).extracting(w -> w.server() + " " + w.endedBy() + " " + w.reason())
                    .containsExactlyInAnyOrder(replica.key() + " null disk swap", "null expired kernel upgrade");
            assertThat(store.audit().recent(10)).extracting(a -> a.who() + "@" + a.source() + " " + a.action())
                    .containsExactly("alice@10.0.0.7 maintenance on", "alice@10.0.0.7 maintenance on");
        }
    }
}
