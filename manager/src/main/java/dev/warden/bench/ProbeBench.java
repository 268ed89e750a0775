package dev.warden.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.warden.engine.ClusterMonitor;
import dev.warden.engine.MonitorListener;
import dev.warden.model.InstanceSnapshot;
import dev.warden.sandbox.SandboxFlavor;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code warden bench probe --servers N}: a sandbox of N servers (a primary and N-1 replicas) watched at the
 * profile's interval for a while. Reports the manager's CPU (percent of one core, and per probe), probe latency
 * p50/p99, and heap (peak, and after a full GC). Only this JVM is measured: the servers are other processes.
 */
public final class ProbeBench {

    private ProbeBench() {
    }

    public static BenchReport run(SandboxFlavor flavor, int servers, Duration duration, Duration warmup,
                                  Profile profile, Path dir, PrintWriter progress) throws Exception {
        BenchReport report = new BenchReport("probe", flavor.cliName(), profile.cliName(), List.of("cpu_percent",
                "cpu_ms_per_probe", "latency_p50_ms", "latency_p99_ms", "heap_peak_mib", "heap_after_gc_mib"));
        progress.println("starting " + servers + " " + flavor.cliName() + " servers ...");
        progress.flush();
        try (BenchCluster b = new BenchCluster(flavor, servers - 1, profile, dir, false)) {
            List<Double> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
            AtomicLong probes = new AtomicLong();
            b.monitor.listen(new MonitorListener() {
                @Override
                public void cycled(ClusterMonitor cluster, ClusterMonitor.Cycle cycle) {
                    for (InstanceSnapshot s : cycle.snapshot().all()) {
                        latencies.add(s.latency().toNanos() / 1e6);
                        probes.incrementAndGet();
                    }
                }
            });
            progress.println("watching " + servers + " servers; measuring after a warm-up of " + warmup.toSeconds()
                    + " s ...");
            progress.flush();
            Thread.sleep(warmup.toMillis()); // classes loaded, hot code compiled, connections kept
            latencies.clear();
            probes.set(0);
            OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
            Map<String, Long> threads0 = ThreadCpu.byGroup();
            long[] jitGc0 = ThreadCpu.jitAndGcMillis();
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            long peak = 0;
            while (System.nanoTime() - t0 < duration.toNanos()) {
                peak = Math.max(peak, mem.getHeapMemoryUsage().getUsed());
                Thread.sleep(100);
            }
            long cpu = os.getProcessCpuTime() - cpu0;
            long wall = System.nanoTime() - t0;
            Map<String, Double> where = ThreadCpu.percentOfOneCore(threads0, ThreadCpu.byGroup(), cpu, wall);
            long[] jitGc = ThreadCpu.jitAndGcMillis();
            long n = probes.get();
            System.gc();
            Thread.sleep(200);
            long afterGc = mem.getHeapMemoryUsage().getUsed();
            Map<String, Double> lat = Percentiles.of(List.copyOf(latencies), true);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("servers", servers);
            r.put("seconds", wall / 1e9);
            r.put("probes", n);
            r.put("cpu_percent", 100.0 * cpu / wall);
            r.put("cpu_ms_per_probe", n == 0 ? null : cpu / 1e6 / n);
            r.put("latency_p50_ms", lat.get("p50"));
            r.put("latency_p99_ms", lat.get("p99"));
            r.put("heap_peak_mib", peak / 1048576.0);
            r.put("heap_after_gc_mib", afterGc / 1048576.0);
            r.put("max_heap_mib", Runtime.getRuntime().maxMemory() / 1048576.0);
            r.put("cpu_percent_by_thread", where);
            r.put("jit_compile_ms", jitGc[0] - jitGc0[0]);
            r.put("gc_ms", jitGc[1] - jitGc0[1]);
            report.add(r);
            progress.println(BenchReport.line(r));
            progress.flush();
        }
        return report;
    }
}
