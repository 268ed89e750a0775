package dev.warden.cli;

import dev.warden.dialect.Dialect;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxFlavor;
import dev.warden.sandbox.SandboxInstance;
import dev.warden.testing.Await;
import dev.warden.testing.Cli;
import dev.warden.testing.Convergence;
import dev.warden.testing.Daemon;
import dev.warden.testing.RootSql;
import dev.warden.testing.SandboxExtension;
import dev.warden.testing.WardenProcess;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code warden drill} against a daemon running in its own JVM on a real cluster. */
class DrillMysql8IT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final SandboxExtension extension = SandboxExtension.of(SandboxFlavor.MYSQL8);

    @Test
    void refusesAnUnhealthyClusterAndChangesNothing_thenSwitchesToTheBestCandidateAndBack() throws Exception {
        Sandbox sb = extension.sandbox();
        SandboxInstance original = sb.primary();
        SandboxInstance stopped = sb.replicas().get(1);
        try (Daemon d = new Daemon(sb).start(null)) {
            d.awaitHealthy();

            RootSql.replicaCommand(sb, stopped, Dialect::stopReplica);
            Await.until("the daemon to report the stopped replica", Duration.ofSeconds(20),
                    () -> cluster(d).path("findings").toString(), f -> f.contains("ReplicationStopped"));
            Cli.Run refused = WardenProcess.run(sb.spec().dir(), Duration.ofMinutes(1), "drill", "-c",
                    d.config.toString(), "--cluster", "sandbox");
            assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
            assertThat(refused.out()).contains("Drill refused").contains("nothing was changed")
                    .contains("ReplicationStopped");
            assertThat(cluster(d).path("primary").asText()).isEqualTo(original.key().toString());
            assertThat(JSON.readTree(d.get("/api/operations").body()).toString())
                    .doesNotContain("SWITCHOVER");
            assertThat(RootSql.replication(sb, stopped)).startsWith("127.0.0.1:" + original.port() + " No No");

            RootSql.replicaCommand(sb, stopped, Dialect::startReplica);
            Await.until("a healthy cluster again", Duration.ofSeconds(30), () -> cluster(d),
                    c -> c.path("findings").isEmpty());
            Path report = sb.spec().dir().resolve("drill.json");
            Cli.Run drill = WardenProcess.run(sb.spec().dir(), Duration.ofMinutes(3), "drill", "-c",
                    d.config.toString(), "--cluster", "sandbox", "--json", report.toString());
            assertThat(drill.exitCode()).as(drill.toString() + "\n--- daemon\n" + d.output()).isZero();
            assertThat(drill.out()).contains("The primary is " + original.key() + " again");

            JsonNode legs = JSON.readTree(report.toFile()).path("runs");
            assertThat(legs).hasSize(2);
            String best = legs.get(0).path("to").asText();
            assertThat(legs.get(0).path("from").asText()).isEqualTo(original.key().toString());
            assertThat(best).isNotEqualTo(original.key().toString());
            assertThat(legs.get(1).path("from").asText()).isEqualTo(best);
            assertThat(legs.get(1).path("to").asText()).isEqualTo(original.key().toString());
            for (JsonNode leg : legs) {
                assertThat(leg.path("pause_s").asDouble(-1)).as(leg.toString()).isPositive().isLessThan(30);
                assertThat(leg.path("phases_ms").has("promote")).as(leg.toString()).isTrue();
            }
            Convergence.onePrimary(sb, original, sb.replicas(), Duration.ofSeconds(30));
        }
    }

    private static JsonNode cluster(Daemon d) {
        try {
            return JSON.readTree(d.get("/api/clusters/sandbox").body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
