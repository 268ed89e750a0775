package dev.warden.failover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.engine.Actor;
import dev.warden.engine.ObserveLog;
import dev.warden.engine.RequestResult;
import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxFlavor;
import dev.warden.sandbox.SandboxInstance;
import dev.warden.testing.Await;
import dev.warden.testing.ReplicaSql;
import dev.warden.testing.RootSql;
import dev.warden.testing.SandboxExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Shadow mode ({@code failover.mode: observe}) beside another manager, on real servers: Warden writes nothing (not
 * even its heartbeat), refuses operations, and when the primary dies records the failover it would have run, once;
 * nothing on any server changes until "the other manager" (the test) promotes a replica, which Warden records next
 * to its own verdict.
 */
class ObserveModeMysql8IT {

    @RegisterExtension
    final SandboxExtension sandbox = SandboxExtension.of(SandboxFlavor.MYSQL8);

    @Test
    void observingChangesNothingAndRecordsWhatItWouldDoNextToWhatHappened() throws Exception {
        Sandbox sb = sandbox.sandbox();
        SandboxInstance primary = sb.primary();
        try (FailoverHarness h = new FailoverHarness(sb, "failover:\n  mode: observe\n")) {
            String before = RootSql.value(sb, primary, "SELECT @@gtid_executed");
            Instant from = Instant.now();
            FailoverScenarios.cyclesFor(h, from, Duration.ofSeconds(3));
            assertThat(RootSql.value(sb, primary, "SELECT @@gtid_executed")).as("no heartbeat or other write")
                    .isEqualTo(before);
            RequestResult refused = h.cluster.switchover(null, false, new Actor("alice", null));
            assertThat(refused).isInstanceOfSatisfying(RequestResult.Refused.class,
                    r -> assertThat(r.reasons()).anySatisfy(x -> assertThat(x).contains("failover.mode is observe")));
            assertThat(FailoverControlGet.status(h, "/api/clusters/sandbox")).contains("\"mode\":\"observe\"");

            Map<String, String> replication = replicationOf(sb);
            sb.kill(primary);
            ObserveLog.Entry would = Await.until("Warden to record the failover it would run", Duration.ofSeconds(20),
                    () -> h.cluster.observed().stream().filter(e -> e.kind().equals("would_fail_over")).findFirst()
                            .orElse(null), e -> e != null);
            assertThat(would.server()).isEqualTo(primary.key());
            assertThat(sb.replicas().stream().map(SandboxInstance::key)).contains(would.to());
            assertThat(would.text()).contains("would have failed over at").contains("to " + would.to());
            FailoverScenarios.cyclesFor(h, Instant.now(), Duration.ofSeconds(3));
            assertThat(h.cluster.operations()).as("no operation ran").isEmpty();
            assertThat(replicationOf(sb)).as("every replica still points at the dead primary, read-only")
                    .isEqualTo(replication);
            assertThat(h.cluster.observed().stream().filter(e -> e.kind().equals("would_fail_over")))
                    .as("once per dead primary, not once per cycle").hasSize(1);

            // The other manager promotes a replica: Warden records what actually happened next to its verdict.
            SandboxInstance promoted = FailoverScenarios.instanceAt(sb, would.to());
            SandboxInstance other = sb.replicas().stream().filter(r -> !r.equals(promoted)).findFirst().orElseThrow();
            RootSql.exec(sb, promoted, "STOP SLAVE", "RESET SLAVE ALL", "SET GLOBAL super_read_only = OFF",
                    "SET GLOBAL read_only = OFF");
            ReplicaSql.change(sb, other, "PORT = " + promoted.port());
            ObserveLog.Entry moved = Await.until("Warden to record the primary's move", Duration.ofSeconds(20),
                    () -> h.cluster.observed().stream().filter(e -> e.kind().equals("primary_moved")).findFirst()
                            .orElse(null), e -> e != null);
            assertThat(moved.server()).isEqualTo(primary.key());
            assertThat(moved.to()).isEqualTo(promoted.key());
            assertThat(h.cluster.operations()).isEmpty();
            assertThat(FailoverControlGet.status(h, "/api/clusters/sandbox")).contains("\"kind\":\"would_fail_over\"")
                    .contains("\"kind\":\"primary_moved\"");
        }
    }

    /** Each replica's read-only state and source. */
    static Map<String, String> replicationOf(Sandbox sb) {
        return sb.replicas().stream().collect(Collectors.toMap(SandboxInstance::name, r ->
                RootSql.value(sb, r, "SELECT CONCAT(@@read_only, @@super_read_only)") + " "
                        + RootSql.replication(sb, r).split(" ")[0]));
    }

    /** GETs on the daemon's API as the sandbox's admin token. */
    static final class FailoverControlGet {
        static String status(FailoverHarness h, String path) throws Exception {
            var c = java.net.http.HttpClient.newHttpClient();
            var req = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
                    + h.config.http().port() + path)).header("Authorization",
                    dev.warden.testing.SandboxToken.header(h.sandbox.spec().dir())).build();
            return c.send(req, java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        }
    }
}
