package dev.warden.bench;

import dev.warden.actions.Operation;
import dev.warden.actions.StepRecord;
import dev.warden.plan.PlanKind;
import dev.warden.sandbox.SandboxFlavor;
import dev.warden.sandbox.SandboxInstance;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code warden bench failover}: per run a fresh sandbox (primary + 2 replicas), an application committing
 * numbered rows and following the writable server, the fault on the primary, then the figures: detection, new
 * primary writable, replicas re-pointed (all from the independent observer), the write outage the application
 * saw, and acknowledged rows lost. Each run also keeps the operation's step timings (where the time went).
 */
public final class FailoverBench {

    public enum Fault { KILL, STOP }

    private FailoverBench() {
    }

    public static BenchReport run(SandboxFlavor flavor, Fault fault, int runs, int rate, Profile profile, Path dir,
                                  PrintWriter progress) throws Exception {
        BenchReport report = new BenchReport("failover", flavor.cliName(), profile.cliName(), List.of("detect_s",
                "writable_s", "repointed_s", "outage_s", "lost_rows"));
        report.put("fault", fault == Fault.KILL ? "kill -9" : "SIGSTOP (hung)");
        for (int i = 1; i <= runs; i++) {
            Map<String, Object> r = once(flavor, fault, rate, profile, dir.resolve("run-" + i));
            report.add(r);
            progress.println("run " + i + "/" + runs + ": " + BenchReport.line(r));
            progress.flush();
        }
        return report;
    }

    static Map<String, Object> once(SandboxFlavor flavor, Fault fault, int rate, Profile profile, Path dir)
            throws Exception {
        try (BenchCluster b = new BenchCluster(flavor, 2, profile, dir)) {
            SandboxInstance old = b.sandbox.primary();
            RowWriter writer = new RowWriter(b.observer::writablePort, rate);
            try {
                BenchCluster.await("the application's first rows", Duration.ofSeconds(20),
                        () -> writer.acknowledged().size() >= 50);
                Instant t0 = Instant.now();
                if (fault == Fault.KILL) {
                    b.sandbox.kill(old);
                } else {
                    b.sandbox.freeze(old);
                }
                BenchCluster.await("a failover to start", Duration.ofSeconds(60), () -> failover(b) != null);
                String id = failover(b).id();
                BenchCluster.await("the failover to end", Duration.ofSeconds(60), () -> b.cluster.running().isEmpty()
                        && b.monitor.operations().byId(id).map(o -> o.outcome() != Operation.Outcome.RUNNING)
                        .orElse(false));
                Operation op = b.monitor.operations().byId(id).orElseThrow();
                SandboxInstance candidate = b.at(op.plan().candidate());
                List<SandboxInstance> survivors = b.others(candidate);
                survivors.remove(old);
                BenchCluster.await("the replicas re-pointed and the application writing again", Duration.ofSeconds(30),
                        () -> b.observer.allReplicatingFrom(candidate, survivors, t0) != null
                                && writer.outageAfter(t0) != null);
                Instant writable = b.observer.writableSince(candidate, t0);
                Instant repointed = b.observer.allReplicatingFrom(candidate, survivors, t0);
                writer.close();
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("detect_s", seconds(t0, op.startedAt()));
                r.put("writable_s", seconds(t0, writable));
                r.put("repointed_s", seconds(t0, repointed));
                r.put("outage_s", writer.outageAfter(t0) == null ? null : writer.outageAfter(t0).toNanos() / 1e9);
                r.put("lost_rows", b.lost(candidate, writer.acknowledged()));
                r.put("outcome", op.outcome().name());
                r.put("phases", phases(op));
                return r;
            } finally {
                writer.close();
            }
        }
    }

    static Operation failover(BenchCluster b) {
        return b.cluster.operations().stream().filter(o -> o.plan().kind() == PlanKind.FAILOVER).findFirst()
                .orElse(null);
    }

    /** Each step's duration in ms, in plan order: "fence 12, catch-up 3, promote 25, re-point 40". */
    static Map<String, Long> phases(Operation op) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (StepRecord s : op.steps()) {
            if (s.took() != null) {
                m.merge(s.step().kind(), s.took().toMillis(), Math::max);
            }
        }
        return m;
    }

    static Double seconds(Instant from, Instant to) {
        return to == null ? null : Duration.between(from, to).toNanos() / 1e9;
    }
}
