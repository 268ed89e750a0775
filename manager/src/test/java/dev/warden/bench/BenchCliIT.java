package dev.warden.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.sandbox.SandboxFlavor;
import dev.warden.sandbox.SandboxManager;
import dev.warden.sandbox.SandboxState;
import dev.warden.testing.Cli;
import dev.warden.testing.SandboxExtension;
import dev.warden.testing.WardenProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A smoke run of each benchmark through the real jar, as the README tells users to run them: two runs each, the
 * JSON checked for its shape and for the guarantees a benchmark may not break (no acknowledged row lost and no
 * errant transaction on a switchover). The figures themselves are not asserted: the machines are noisy.
 */
class BenchCliIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration BENCH_TIMEOUT = Duration.ofMinutes(6);

    @TempDir
    Path work;

    /** Whatever a benchmark killed by a timeout left running is stopped. */
    @AfterEach
    void stopLeftovers() throws IOException {
        try (Stream<Path> dirs = Files.walk(work, 3)) {
            dirs.filter(Files::isDirectory).filter(SandboxState::exists)
                    .forEach(d -> SandboxManager.down(d, SandboxManager.StopMode.IMMEDIATE));
        }
    }

    @Test
    void failoverBenchmarkReportsEachRunAndTheSummary() throws Exception {
        SandboxFlavor flavor = selected(SandboxFlavor.MYSQL8);
        JsonNode report = bench("failover", "--flavor", flavor.cliName(), "--runs", "2");
        assertThat(report.path("scenario").asText()).isEqualTo("failover");
        assertThat(report.path("flavor").asText()).isEqualTo(flavor.cliName());
        assertThat(report.path("runs")).hasSize(2);
        for (JsonNode run : report.path("runs")) {
            assertThat(run.path("outcome").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
            for (String f : List.of("detect_s", "writable_s", "repointed_s", "outage_s")) {
                assertThat(run.path(f).asDouble()).as(f + " in " + run).isPositive().isLessThan(60);
            }
            assertThat(run.path("writable_s").asDouble()).as(run.toString())
                    .isGreaterThanOrEqualTo(run.path("detect_s").asDouble());
            assertThat(run.path("lost_rows").isIntegralNumber()).as(run.toString()).isTrue();
            assertThat(run.path("phases").has("promote")).as(run.toString()).isTrue();
        }
        assertSummary(report, "detect_s", "writable_s", "repointed_s", "outage_s", "lost_rows");
    }

    @Test
    void switchoverBenchmarkLosesNoAcknowledgedRowAndLeavesNoErrantTransaction() throws Exception {
        SandboxFlavor flavor = selected(SandboxFlavor.MYSQL8);
        JsonNode report = bench("switchover", "--flavor", flavor.cliName(), "--runs", "2");
        assertThat(report.path("runs")).hasSize(2);
        for (JsonNode run : report.path("runs")) {
            assertThat(run.path("pause_s").asDouble()).as(run.toString()).isPositive().isLessThan(30);
            assertThat(run.path("lost_rows").asLong(-1)).as(run.toString()).isZero();
            assertThat(run.path("errant_gtids").asLong(-1)).as(run.toString()).isZero();
        }
        assertSummary(report, "pause_s", "outage_s", "lost_rows", "errant_gtids");
    }

    @Test
    void probeBenchmarkReportsCpuLatencyAndHeap() throws Exception {
        SandboxFlavor flavor = selected(SandboxFlavor.MARIADB);
        JsonNode report = bench("probe", "--flavor", flavor.cliName(), "--servers", "4", "--duration", "5s",
                "--warmup", "2s");
        JsonNode run = report.path("runs").path(0);
        assertThat(run.path("servers").asInt()).isEqualTo(4);
        assertThat(run.path("probes").asLong()).as(run.toString()).isGreaterThanOrEqualTo(4);
        assertThat(run.path("cpu_percent").asDouble(-1)).as(run.toString()).isPositive().isLessThan(200);
        assertThat(run.path("latency_p50_ms").asDouble(-1)).as(run.toString()).isPositive();
        assertThat(run.path("heap_after_gc_mib").asDouble(-1)).as(run.toString()).isPositive();
        assertThat(run.path("cpu_percent_by_thread").has("probe")).as(run.toString()).isTrue();
    }

    @Test
    void badOptionsAreRefusedBeforeAnyServerStarts() throws Exception {
        Path dir = work.resolve("refused");
        // Each with the sentence that says what is wrong (picocli's usage text, printed too, names every option).
        Map<List<String>, String> cases = Map.of(
                List.of("failover", "--runs", "0"), "--runs must be between 1 and 1000, not 0",
                List.of("failover", "--fault", "pause"), "--fault 'pause': use kill or stop",
                List.of("switchover", "--profile", "fast"), "--profile 'fast': use default or aggressive",
                List.of("probe", "--servers", "500"), "--servers must be between 1 and 65, not 500",
                List.of("probe", "--duration", "soon"), "--duration: 'soon' is not a duration");
        for (Map.Entry<List<String>, String> c : cases.entrySet()) {
            String[] args = Stream.concat(Stream.of("bench"), Stream.concat(c.getKey().stream(),
                    Stream.of("--dir", dir.toString()))).toArray(String[]::new);
            Cli.Run r = WardenProcess.run(work, Duration.ofMinutes(1), args);
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
            assertThat(r.out() + r.err()).as(String.join(" ", c.getKey())).contains(c.getValue());
        }
        assertThat(dir).doesNotExist();
    }

    private JsonNode bench(String... args) throws Exception {
        Path json = work.resolve(args[0] + ".json");
        String[] full = Stream.concat(Stream.of("bench"), Stream.concat(Stream.of(args),
                Stream.of("--json", json.toString(), "--dir", work.resolve(args[0]).toString()))).toArray(String[]::new);
        Cli.Run r = WardenProcess.run(work, BENCH_TIMEOUT, full);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("p50").contains("p95").contains("max");
        return JSON.readTree(json.toFile());
    }

    private static void assertSummary(JsonNode report, String... figures) {
        for (String f : figures) {
            JsonNode s = report.path("summary").path(f);
            assertThat(s.has("p50") && s.has("p95") && s.has("max")).as(f + ": " + s).isTrue();
            assertThat(s.path("max").asDouble()).as(f).isGreaterThanOrEqualTo(s.path("p50").asDouble());
        }
    }

    private static SandboxFlavor selected(SandboxFlavor preferred) {
        if (SandboxExtension.selectedFlavors().contains(preferred)) {
            return preferred;
        }
        Assumptions.assumeFalse(SandboxExtension.selectedFlavors().isEmpty(), "no flavor selected");
        return SandboxExtension.selectedFlavors().iterator().next();
    }
}
