package dev.warden.bench;

import dev.warden.model.ClusterSnapshot;
import dev.warden.model.InstanceKey;
import dev.warden.probe.ClusterProber;
import dev.warden.sandbox.Ports;
import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxFlavor;
import dev.warden.sandbox.SandboxManager;
import dev.warden.sandbox.SandboxSpec;
import dev.warden.testing.Probes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Prints figures, asserts nothing: sandbox start time and probe latency per server (p50/p95/max), for each
 * flavor. Not part of the test run; start it with
 * {@code mvn -B verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=ProbeLatencyBenchmarkIT -Dwarden.benchmark=true}.
 */
class ProbeLatencyBenchmarkIT {

    static final int SANDBOXES = 3;
    static final int CYCLES = 200;

    @Test
    void printFigures() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("warden.benchmark"), "benchmarks run only with -Dwarden.benchmark=true");
        for (SandboxFlavor flavor : SandboxFlavor.values()) {
            List<Double> startups = new ArrayList<>();
            Map<String, List<Double>> latencies = new LinkedHashMap<>();
            List<Double> cycles = new ArrayList<>();
            for (int n = 0; n < SANDBOXES; n++) {
                Path dir = Path.of("target", "bench", flavor + "-" + n).toAbsolutePath();
                SandboxSpec spec = new SandboxSpec(flavor, 2, Ports.freeBlock(3), dir, SandboxSpec.defaultCacheDir(),
                        Duration.ofSeconds(1));
                try (Sandbox sb = SandboxManager.up(spec, 0); Probes p = new Probes(sb)) {
                    startups.add(sb.startupTime().toNanos() / 1e6);
                    ClusterSnapshot first = p.prober.probe("b", p.cluster.keys(), null, Duration.ofSeconds(5));
                    long id = first.get(sb.primary().key()).orElseThrow().state().serverId();
                    var target = new ClusterProber.HeartbeatTarget(sb.primary().key(), id);
                    for (int c = 0; c < CYCLES; c++) {
                        long t0 = System.nanoTime();
                        ClusterSnapshot s = p.prober.probe("b", p.cluster.keys(), target);
                        cycles.add((System.nanoTime() - t0) / 1e6);
                        for (InstanceKey k : p.cluster.keys()) {
                            String role = k.equals(sb.primary().key()) ? "primary (after its heartbeat write)" : "replica";
                            latencies.computeIfAbsent(role, x -> new ArrayList<>())
                                    .add(s.get(k).orElseThrow().latency().toNanos() / 1e6);
                        }
                        Thread.sleep(20);
                    }
                }
            }
            System.out.printf(Locale.ROOT, "%n== %s: %d sandboxes of 3 servers, %d probe cycles each%n", flavor,
                    SANDBOXES, CYCLES);
            System.out.println("sandbox up (ms):            " + stats(startups));
            latencies.forEach((role, l) -> System.out.printf(Locale.ROOT, "probe latency %-22s %s%n", role + " (ms):",
                    stats(l)));
            System.out.println("whole cycle, write + 3 probes (ms): " + stats(cycles));
        }
    }

    static String stats(List<Double> values) {
        List<Double> v = new ArrayList<>(values);
        Collections.sort(v);
        return String.format(Locale.ROOT, "p50 %.1f  p95 %.1f  max %.1f  (n=%d)", pct(v, 0.50), pct(v, 0.95),
                v.get(v.size() - 1), v.size());
    }

    static double pct(List<Double> sorted, double p) {
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1));
    }
}
