package dev.warden.bench.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.actions.Operation;
import dev.warden.bench.RowWriter;
import dev.warden.bench.ServerObserver;
import dev.warden.config.StoreSettings;
import dev.warden.model.ReplicaStatus;
import dev.warden.model.ThreadState;
import dev.warden.probe.Deadline;
import dev.warden.probe.Jdbc;
import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxFlavor;
import dev.warden.sandbox.SandboxInstance;
import dev.warden.store.Store;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * One round: a fresh cluster, applications writing (one pinned to the first primary as a naive client would be, one
 * following whichever server is writable, one through HAProxy), the fault, then convergence within
 * {@link #CONVERGE} of its end, and the invariants checked against what the servers showed.
 */
final class ChaosRound {

    /** Stated time for the cluster to settle after a fault ends: one writable primary, everyone attached. */
    static final Duration CONVERGE = Duration.ofSeconds(40);
    static final int RATE = 100;

    /** What a round found. */
    record Result(RoundPlan plan, List<String> violations, Map<String, Object> figures, String note) {
        boolean ok() {
            return violations.isEmpty();
        }
    }

    private ChaosRound() {
    }

    static Result run(SandboxFlavor flavor, RoundPlan plan, Path dir, boolean partitions) throws Exception {
        List<String> violations = new ArrayList<>();
        Map<String, Object> figures = new LinkedHashMap<>();
        try (ChaosCluster c = new ChaosCluster(flavor, plan, dir, partitions)) {
            c.daemon.start();
            await("the manager to see a healthy cluster", Duration.ofSeconds(90), () -> healthy(c));
            ServerObserver obs = new ServerObserver(c.sandbox);
            List<RowWriter> writers = new ArrayList<>();
            try {
                SandboxInstance first = c.sandbox.primary();
                writers.add(new RowWriter(first::port, RATE, 1));
                writers.add(new RowWriter(obs::writablePort, RATE, 1_000_000_000L));
                if (c.haproxy != null) {
                    writers.add(new RowWriter(() -> c.haproxy.writerPort, RATE, 2_000_000_000L));
                }
                try {
                    await("the applications' first rows", Duration.ofSeconds(20),
                            () -> writers.stream().allMatch(w -> w.acknowledged().size() >= 20));
                } catch (IllegalStateException e) {
                    throw new IllegalStateException(e.getMessage() + "; writers' last errors: " + writers.stream()
                            .map(w -> w.acknowledged().size() + " acked, " + lastError(w)).toList(), e);
                }
                if (!plan.busy()) {
                    writers.forEach(RowWriter::pause);
                    Thread.sleep(300); // the last commits reach the replicas: the primary is quiet at the fault
                }
                Faults.Window w = Faults.inject(c, plan);
                writers.forEach(RowWriter::resume);
                Instant converged = converge(c, obs, w.end(), violations);
                if (converged != null) {
                    figures.put("converge_s", seconds(w.end(), converged));
                    int before = writers.get(1).acknowledged().size();
                    awaitQuietly(Duration.ofSeconds(10), () -> writers.get(1).acknowledged().size() >= before + 20);
                }
                for (RowWriter wr : writers) {
                    wr.close();
                }
                Set<Long> acked = new HashSet<>();
                writers.forEach(wr -> acked.addAll(wr.acknowledged()));
                Thread.sleep(200);
                String finalPrimary = converged == null ? null : writableRoot(c, obs);
                JsonNode lastLook = c.daemon.get("/api/clusters/sandbox");
                obs.close();
                c.daemon.crash();
                Evidence e = gather(c, obs, w, acked, finalPrimary, lastLook);
                violations.addAll(Invariants.check(e, Duration.ofMillis(1500), Duration.ofMillis(500)));
                figures.putAll(figures(e, w));
                figures.put("tail_rows_lost", Invariants.unshippedTail(e));
                return new Result(plan, violations, figures, w.note());
            } finally {
                for (RowWriter wr : writers) {
                    wr.close();
                }
                obs.close();
            }
        }
    }

    static String lastError(RowWriter w) {
        List<String> e = w.errors();
        return e.isEmpty() ? "no error" : e.get(e.size() - 1);
    }

    // ---- convergence ----------------------------------------------------------------------------------

    /**
     * The manager sees the cluster as the round set it up: both replicas replicating, nothing running, no finding
     * (but the one that says the heartbeat periods were left long, when the round leaves them so).
     */
    static boolean healthy(ChaosCluster c) {
        JsonNode cl = c.daemon.get("/api/clusters/sandbox");
        if (cl == null || !cl.path("summary").asText().contains("2/2 replicas replicating")
                || !cl.path("running").isNull()) {
            return false;
        }
        for (JsonNode f : cl.path("findings")) {
            if (c.plan.enforce() || !f.path("code").asText().equals("HeartbeatPeriodTooLong")) {
                return false;
            }
        }
        return true;
    }

    /**
     * Waits until one server is writable and replicates from nobody, every other running server replicates from it
     * with both threads (or is kept out with a finding that says why), and no operation runs. Records a violation
     * and returns null when that does not happen within {@link #CONVERGE} of the fault's end.
     */
    static Instant converge(ChaosCluster c, ServerObserver obs, Instant faultEnd, List<String> violations)
            throws InterruptedException {
        Instant deadline = faultEnd.plus(CONVERGE);
        String state = "";
        while (Instant.now().isBefore(deadline)) {
            state = convergence(c, obs);
            if (state == null) {
                return Instant.now();
            }
            Thread.sleep(100);
        }
        violations.add("not converged " + CONVERGE.toSeconds() + " s after the fault ended: " + state);
        return null;
    }

    /** Null when converged, else what is still off. */
    static String convergence(ChaosCluster c, ServerObserver obs) {
        String primary = writableRoot(c, obs);
        if (primary == null) {
            return "no single writable primary (" + looks(c, obs) + ")";
        }
        JsonNode cluster = c.daemon.alive() ? c.daemon.get("/api/clusters/sandbox") : null;
        if (cluster == null) {
            return "the manager does not answer";
        }
        if (!cluster.path("running").isNull()) {
            return "an operation runs: " + cluster.path("running");
        }
        int port = c.sandbox.instance(primary).port();
        for (SandboxInstance i : c.sandbox.instances()) {
            if (i.name().equals(primary) || !c.sandbox.isRunning(i)) {
                continue;
            }
            String reason = heldOut(cluster, i);
            if (reason != null) {
                continue;
            }
            ReplicaStatus r = replication(c.sandbox, i);
            if (r == null || r.source() == null || r.source().port() != port || r.ioThread() != ThreadState.RUNNING
                    || r.sqlThread() != ThreadState.RUNNING) {
                return i.name() + " is not attached to " + primary + " (" + (r == null ? "replicates from nobody"
                        : r.source() + " IO " + r.ioThread().display() + " SQL " + r.sqlThread().display()) + ")";
            }
        }
        return null;
    }

    /** The finding that keeps a server out on purpose (a quarantined old primary), or null. */
    static String heldOut(JsonNode cluster, SandboxInstance i) {
        for (JsonNode f : cluster.path("findings")) {
            String code = f.path("code").asText();
            if (code.equals("QuarantinedPrimary") && f.path("servers").toString().contains(i.key().toString())) {
                return code + ": " + f.path("detail").asText();
            }
        }
        return null;
    }

    /** The one running server whose latest look is writable and replicating from nobody; null when none or several. */
    static String writableRoot(ChaosCluster c, ServerObserver obs) {
        String found = null;
        for (SandboxInstance i : c.sandbox.instances()) {
            List<ServerObserver.Sample> all = obs.samples(i);
            if (all.isEmpty() || !c.sandbox.isRunning(i)) {
                continue;
            }
            if (Invariants.writableRoot(all.get(all.size() - 1))) {
                if (found != null) {
                    return null;
                }
                found = i.name();
            }
        }
        return found;
    }

    static String looks(ChaosCluster c, ServerObserver obs) {
        List<String> out = new ArrayList<>();
        for (SandboxInstance i : c.sandbox.instances()) {
            List<ServerObserver.Sample> all = obs.samples(i);
            ServerObserver.Sample s = all.isEmpty() ? null : all.get(all.size() - 1);
            out.add(i.name() + (s == null || !s.reachable() ? " unreachable" : (s.writable() ? " writable" : " read-only")
                    + (s.sourcePort() == 0 ? "" : " from " + s.sourcePort())));
        }
        return String.join(", ", out);
    }

    static ReplicaStatus replication(Sandbox sb, SandboxInstance i) {
        try (Connection c = sb.root(i)) {
            Deadline d = Deadline.after(Duration.ofSeconds(5));
            List<ReplicaStatus> ch = Jdbc.replicaStatus(c, Jdbc.dialect(c, d), d);
            return ch.isEmpty() ? null : ch.get(0);
        } catch (SQLException e) {
            return null;
        }
    }

    // ---- evidence -------------------------------------------------------------------------------------

    static Evidence gather(ChaosCluster c, ServerObserver obs, Faults.Window w, Set<Long> acked, String finalPrimary,
                           JsonNode last) throws Exception {
        Map<String, Integer> ports = new LinkedHashMap<>();
        Map<String, List<ServerObserver.Sample>> samples = new LinkedHashMap<>();
        Map<String, Map<Long, Evidence.Row>> rows = new LinkedHashMap<>();
        for (SandboxInstance i : c.sandbox.instances()) {
            ports.put(i.name(), i.port());
            samples.put(i.name(), obs.samples(i));
            if (c.sandbox.isRunning(i)) {
                rows.put(i.name(), rows(c.sandbox, i));
            }
        }
        List<Operation> ops;
        StoreSettings settings = c.storeServer == null ? StoreSettings.sqlite(c.store)
                : new StoreSettings(null, "jdbc:mysql://127.0.0.1:" + c.storeServer.primary().port()
                + "/warden_store?allowPublicKeyRetrieval=true", "store", dev.warden.config.Secret.of("store-pw"),
                StoreSettings.DEFAULT_RETENTION);
        try (Store s = Store.open(settings, Clock.systemUTC(), "chaos-reader")) {
            ops = s.operations().recent("sandbox", 500);
        }
        Map<String, String> heldOut = new LinkedHashMap<>();
        if (last != null) {
            for (SandboxInstance i : c.sandbox.instances()) {
                String why = heldOut(last, i);
                if (why != null) {
                    heldOut.put(i.name(), why);
                }
            }
        }
        return new Evidence(c.plan.kind(), c.sandbox.flavor().flavor(), ports, c.sandbox.primary().name(), samples,
                rows, acked, finalPrimary, heldOut, w.start(), w.end(), w.length(), ops);
    }

    static Map<Long, Evidence.Row> rows(Sandbox sb, SandboxInstance i) {
        Map<Long, Evidence.Row> out = new LinkedHashMap<>();
        try (Connection c = sb.root(i); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, srv, UNIX_TIMESTAMP(at) FROM app.rows")) {
            while (rs.next()) {
                java.math.BigDecimal at = rs.getBigDecimal(3);
                Instant t = at == null ? null : Instant.ofEpochSecond(at.longValue(),
                        at.remainder(java.math.BigDecimal.ONE).movePointRight(9).longValue());
                out.put(rs.getLong(1), new Evidence.Row(rs.getInt(2), t));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the rows of " + i.name() + ": " + e.getMessage(), e);
        }
        return out;
    }

    static Map<String, Object> figures(Evidence e, Faults.Window w) {
        Map<String, Object> f = new LinkedHashMap<>();
        long failovers = e.operations().stream().filter(o -> o.plan().kind() == dev.warden.plan.PlanKind.FAILOVER)
                .count();
        f.put("failovers", failovers);
        e.operations().stream().filter(o -> o.plan().kind() == dev.warden.plan.PlanKind.FAILOVER)
                .min(java.util.Comparator.comparing(Operation::startedAt))
                .ifPresent(o -> f.put("detect_s", seconds(w.start(), o.startedAt())));
        var primaries = Invariants.primaries(e, false).tailMap(w.start(), true); // what the observer saw
        primaries.entrySet().stream().filter(p -> !p.getValue().equals(e.original())).findFirst()
                .ifPresent(p -> f.put("writable_s", seconds(w.start(), p.getKey())));
        return f;
    }

    static Double seconds(Instant from, Instant to) {
        return to == null ? null : Duration.between(from, to).toNanos() / 1e9;
    }

    static void await(String what, Duration timeout, BooleanSupplier done) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    static boolean awaitQuietly(Duration timeout, BooleanSupplier done) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }
}
