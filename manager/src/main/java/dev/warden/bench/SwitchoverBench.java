package dev.warden.bench;

import dev.warden.actions.Operation;
import dev.warden.engine.Actor;
import dev.warden.engine.RequestResult;
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
 * {@code warden bench switchover}: one sandbox (primary + 2 replicas) and an application committing numbered
 * rows and following the writable server; each run is a planned switchover to the best candidate. Per run: the
 * write pause (old primary read-only to new primary writable), the outage the application saw, acknowledged rows
 * lost and errant transactions afterwards (both must be 0).
 */
public final class SwitchoverBench {

    private SwitchoverBench() {
    }

    public static BenchReport run(SandboxFlavor flavor, int runs, int rate, Profile profile, Path dir,
                                  PrintWriter progress) throws Exception {
        BenchReport report = new BenchReport("switchover", flavor.cliName(), profile.cliName(),
                List.of("pause_s", "outage_s", "writable_s", "repointed_s", "lost_rows", "errant_gtids"));
        try (BenchCluster b = new BenchCluster(flavor, 2, profile, dir)) {
            for (int i = 1; i <= runs; i++) {
                Map<String, Object> r = once(b, rate);
                report.add(r);
                progress.println("run " + i + "/" + runs + ": " + BenchReport.line(r));
                progress.flush();
            }
        }
        return report;
    }

    static Map<String, Object> once(BenchCluster b, int rate) throws Exception {
        RowWriter writer = new RowWriter(b.observer::writablePort, rate);
        try {
            BenchCluster.await("the application's first rows", Duration.ofSeconds(20),
                    () -> writer.acknowledged().size() >= 50);
            Instant t0 = Instant.now();
            RequestResult result = b.cluster.switchover(null, false, new Actor("bench", null));
            if (!(result instanceof RequestResult.Ran ran)) {
                throw new IllegalStateException("the switchover did not run: " + result);
            }
            Operation op = ran.operation();
            if (op.outcome() != Operation.Outcome.SUCCEEDED) {
                throw new IllegalStateException("the switchover did not succeed: " + op.summary());
            }
            SandboxInstance candidate = b.at(op.plan().candidate());
            List<SandboxInstance> others = b.others(candidate);
            BenchCluster.await("every other server replicating from the new primary", Duration.ofSeconds(30),
                    () -> b.observer.allReplicatingFrom(candidate, others, t0) != null);
            BenchCluster.await("the application writing again", Duration.ofSeconds(30), () -> writer.acknowledged()
                    .size() > 0 && writer.ackedAfter(op.endedAt()));
            writer.close();
            Duration outage = writer.outageAfter(t0);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("pause_s", op.writePause() == null ? null : op.writePause().toNanos() / 1e9);
            r.put("outage_s", outage == null ? 0.0 : outage.toNanos() / 1e9);
            r.put("writable_s", FailoverBench.seconds(t0, b.observer.writableSince(candidate, t0)));
            r.put("repointed_s", FailoverBench.seconds(t0, b.observer.allReplicatingFrom(candidate, others, t0)));
            r.put("lost_rows", b.lost(candidate, writer.acknowledged()));
            r.put("errant_gtids", others.stream().mapToLong(o -> b.errant(candidate, o)).sum());
            r.put("phases", FailoverBench.phases(op));
            BenchCluster.await("a healthy cycle before the next run", Duration.ofSeconds(30), () -> b.cluster.latest()
                    .map(c -> c.findings().isEmpty() && c.topology().primary().map(p -> p.key().equals(candidate.key()))
                            .orElse(false)).orElse(false));
            return r;
        } finally {
            writer.close();
        }
    }
}
