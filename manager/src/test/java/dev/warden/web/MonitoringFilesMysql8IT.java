package dev.warden.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.sandbox.SandboxFlavor;
import dev.warden.sandbox.SandboxInstance;
import dev.warden.testing.Await;
import dev.warden.testing.Cli;
import dev.warden.testing.Daemon;
import dev.warden.testing.MonitoringFiles;
import dev.warden.testing.SandboxExtension;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * docs/prometheus's alert rules and docs/grafana's dashboard against the real thing: promtool (Prometheus' own
 * checker, from Debian's prometheus package) parses the rules and runs their unit tests, and every metric they name
 * is in the /metrics of a real daemon watching real servers after a switchover (the coordination metrics are checked
 * on a manager with ZooKeeper, in ManagersScenarios).
 */
class MonitoringFilesMysql8IT {

    @RegisterExtension
    static final SandboxExtension SANDBOX = SandboxExtension.of(SandboxFlavor.MYSQL8, 2);

    @Test
    void promtoolAcceptsTheRulesAndTheirTestsPass() throws Exception {
        assertThat(promtool("check", "rules", MonitoringFiles.RULES.toString())).contains("SUCCESS");
        assertThat(promtool("test", "rules", MonitoringFiles.RULE_TESTS.getFileName().toString())).contains("SUCCESS");
    }

    @Test
    void everyMetricTheRulesAndTheDashboardUseIsExposedByARealDaemon() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(MonitoringFiles.DASHBOARD));
        assertThat(dashboard.get("panels")).isNotEmpty().allSatisfy(p -> assertThat(p.get("targets"))
                .as(p.get("title").asText()).isNotEmpty().allSatisfy(t -> assertThat(t.get("expr").asText()).isNotBlank()));
        Set<String> used = MonitoringFiles.used();
        assertThat(used).contains("warden_findings", "warden_operations_total", "warden_replica_lag_seconds");

        try (Daemon d = new Daemon(SANDBOX.sandbox()).start(null)) {
            d.awaitHealthy();
            SandboxInstance target = SANDBOX.sandbox().replicas().get(0);
            Cli.Run run = Cli.run("switchover", "-c", d.config.toString(), "--cluster", "sandbox", "--to",
                    target.key().toString());
            assertThat(run.exitCode()).as(run.toString()).isZero();
            String scrape = Await.until("the switchover's timers in /metrics", Duration.ofSeconds(20),
                    () -> {
                        try {
                            return d.get("/metrics").body();
                        } catch (Exception e) {
                            return "";
                        }
                    }, s -> s.contains("warden_switchover_write_pause_seconds_max"));
            Set<String> exposed = MonitoringFiles.exposed(scrape);
            List<String> missing = new ArrayList<>();
            for (String name : used) {
                if (!MonitoringFiles.WITH_COORDINATION.contains(name) && !exposed.contains(name)) {
                    missing.add(name);
                }
            }
            assertThat(missing).as("metrics named in docs/ that the daemon does not expose; it exposes " + exposed)
                    .isEmpty();
            // Counted from 0, so an alert's increase() sees the first failed failover.
            assertThat(scrape).contains("warden_operations_total{cluster=\"sandbox\",kind=\"failover\","
                    + "outcome=\"failed\"} 0.0");
            assertThat(scrape).containsPattern("warden_build_info\\{commit=\"[0-9a-f]{10}\",version=\"[^\"]+\"\\} 1");
        }
    }

    /** Runs promtool in docs/prometheus; its output, or a failed assertion with it when it exits non-zero. */
    static String promtool(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("promtool"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(MonitoringFiles.RULES.getParent().toFile())
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
        return out;
    }
}
