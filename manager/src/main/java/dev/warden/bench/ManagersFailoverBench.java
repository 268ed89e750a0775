package dev.warden.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.sandbox.ManagerGroup;
import dev.warden.sandbox.ManagersSetup;
import dev.warden.sandbox.Ports;
import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxFlavor;
import dev.warden.sandbox.SandboxInstance;
import dev.warden.sandbox.SandboxManager;
import dev.warden.sandbox.SandboxSpec;
import dev.warden.sandbox.Teardown;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code warden bench failover --managers N}: a real three-server ZooKeeper ensemble and a store server shared by
 * every run; per run a fresh sandbox (primary + 2 replicas), N managers each in its own JVM (default settings,
 * session timeout {@link #SESSION}), an application writing. First the primary is killed (-9): detection,
 * writable, re-pointed, the application's outage and the acknowledged rows lost, with every manager voting. Then
 * the leading manager is killed (-9): how long until another leads, and that minus the session timeout (the time
 * ZooKeeper must wait before anyone else may lead).
 */
public final class ManagersFailoverBench {

    static final Duration SESSION = Duration.ofSeconds(4);
    private static final ObjectMapper JSON = new ObjectMapper();

    private ManagersFailoverBench() {
    }

    public static BenchReport run(SandboxFlavor flavor, int managers, int runs, int rate, Path dir,
                                  PrintWriter progress) throws Exception {
        BenchReport report = new BenchReport("failover", flavor.cliName(), Profile.DEFAULT.cliName(), List.of(
                "detect_s", "writable_s", "repointed_s", "outage_s", "lost_rows", "takeover_s",
                "takeover_after_expiry_s"));
        report.put("fault", "kill -9 of the primary, then of the leading manager");
        report.put("managers", managers);
        report.put("session_timeout_s", SESSION.toMillis() / 1000.0);
        // Stopped at the end, or on Ctrl-C / SIGTERM (even mid-start): nothing is left running.
        try (Teardown shared = new Teardown("bench-shutdown", undone -> { })) {
            ManagersSetup setup = new ManagersSetup();
            shared.start("the ensemble and the store server", setup::close, () -> setup.start(flavor,
                    dir.resolve("shared"), Ports.freeBlock(ManagersSetup.portsNeeded()), SandboxSpec.defaultCacheDir()));
            for (int i = 1; i <= runs; i++) {
                Map<String, Object> r = once(setup, flavor, managers, rate, dir.resolve("run-" + i), i);
                report.add(r);
                progress.println("run " + i + "/" + runs + ": " + BenchReport.line(r));
                progress.flush();
            }
        }
        return report;
    }

    static Map<String, Object> once(ManagersSetup setup, SandboxFlavor flavor, int managers, int rate, Path dir,
                                    int run) throws Exception {
        SandboxSpec spec = new SandboxSpec(flavor, 2, Ports.freeBlock(3), dir, SandboxSpec.defaultCacheDir(),
                Profile.DEFAULT.heartbeat);
        try (Teardown undo = new Teardown("bench-run-shutdown", undone -> { })) {
            Sandbox sb = undo.start("the run's servers", () -> Teardown.downIfThere(dir),
                    () -> SandboxManager.up(spec, 0));
            AtomicReference<ManagerGroup> group = new AtomicReference<>();
            ManagerGroup g = undo.start("the managers", () -> {
                if (group.get() != null) {
                    group.get().close();
                }
            }, () -> {
                group.set(setup.managers(sb, "warden_bench_" + run + "_" + ProcessHandle.current().pid(),
                        "/warden-bench-" + run + "-" + ProcessHandle.current().pid(), managers,
                        Ports.freeBlock(managers), SESSION, List.of()));
                return group.get();
            });
            ServerObserver observer = undo.start("the observer", () -> { }, () -> new ServerObserver(sb));
            RowWriter.prepare(sql -> BenchCluster.root(sb, sb.primary(), sql));
            ManagerGroup.Member leader = g.awaitLeader(Duration.ofSeconds(90));
            BenchCluster.await("every manager sees the replicas healthy", Duration.ofSeconds(90),
                    () -> g.members().stream().allMatch(m -> logged(m, "2/2 replicas replicating, max lag")));
            SandboxInstance old = sb.primary();
            try (RowWriter writer = new RowWriter(observer::writablePort, rate)) {
                BenchCluster.await("the application's first rows", Duration.ofSeconds(20),
                        () -> writer.acknowledged().size() >= 50);
                Instant t0 = Instant.now();
                sb.kill(old);
                // Asked every 250 ms: the figures come from the operation's record and the observer, and asking
                // the leader's API every few ms would take the CPU the failover needs on this machine.
                JsonNode op = BenchCluster.awaitValue("the failover to end", Duration.ofSeconds(60),
                        Duration.ofMillis(250), () -> endedFailover(g, leader));
                SandboxInstance candidate = sb.instances().stream()
                        .filter(i -> i.key().toString().equals(op.get("candidate").asText())).findFirst()
                        .orElseThrow();
                List<SandboxInstance> survivors = sb.instances().stream()
                        .filter(i -> !i.equals(candidate) && !i.equals(old)).toList();
                BenchCluster.await("the replicas re-pointed and the application writing again",
                        Duration.ofSeconds(30), () -> observer.allReplicatingFrom(candidate, survivors, t0) != null
                                && writer.outageAfter(t0) != null);
                writer.close();
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("detect_s", FailoverBench.seconds(t0, Instant.parse(op.get("startedAt").asText())));
                r.put("writable_s", FailoverBench.seconds(t0, observer.writableSince(candidate, t0)));
                r.put("repointed_s", FailoverBench.seconds(t0, observer.allReplicatingFrom(candidate, survivors, t0)));
                r.put("outage_s", writer.outageAfter(t0).toNanos() / 1e9);
                r.put("lost_rows", BenchCluster.lost(sb, candidate, writer.acknowledged()));
                r.put("outcome", op.get("outcome").asText());
                r.put("led_by", leader.name());
                Map<String, Long> phases = new LinkedHashMap<>();
                for (JsonNode st : op.get("steps")) {
                    if (!st.get("millis").isNull()) {
                        phases.merge(st.get("kind").asText(), st.get("millis").asLong(), Math::max);
                    }
                }
                r.put("phases", phases);
                r.put("prove_ms", proveLatency(g, leader));
                long k0 = System.nanoTime();
                g.kill(leader);
                ManagerGroup.Member next = g.awaitLeader(Duration.ofSeconds(60));
                double took = (System.nanoTime() - k0) / 1e9;
                r.put("takeover_s", took);
                r.put("takeover_after_expiry_s", took - SESSION.toMillis() / 1000.0);
                r.put("next_leader", next.name());
                return r;
            } finally {
                observer.close();
            }
        }
    }

    /** The run's failover once it ended, as the leader's API shows it; null before. */
    private static JsonNode endedFailover(ManagerGroup g, ManagerGroup.Member leader) {
        try {
            var resp = g.get(leader, "/api/operations");
            if (resp.statusCode() != 200) {
                return null;
            }
            for (JsonNode o : JSON.readTree(resp.body())) {
                if ("FAILOVER".equals(o.get("kind").asText()) && !"RUNNING".equals(o.get("outcome").asText())) {
                    return o;
                }
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The leader's ZooKeeper proof round trips so far (its metrics): "mean/max ms over n". */
    private static String proveLatency(ManagerGroup g, ManagerGroup.Member leader) {
        try {
            String m = g.get(leader, "/metrics").body();
            double sum = metric(m, "warden_coordination_latency_seconds_sum");
            double count = metric(m, "warden_coordination_latency_seconds_count");
            double max = metric(m, "warden_coordination_latency_seconds_max");
            return count > 0 ? String.format(java.util.Locale.ROOT, "%.1f/%.1f over %d", 1000 * sum / count,
                    1000 * max, (long) count) : "none";
        } catch (IOException | RuntimeException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static double metric(String scrape, String name) {
        java.util.regex.Matcher x = java.util.regex.Pattern.compile("(?m)^" + name + "\\{[^}]*kind=\"prove\"[^}]*\\} "
                + "([0-9.eE+-]+)").matcher(scrape);
        return x.find() ? Double.parseDouble(x.group(1)) : 0;
    }

    private static boolean logged(ManagerGroup.Member m, String text) {
        try {
            return Files.readString(m.log()).contains(text);
        } catch (IOException e) {
            return false;
        }
    }
}
