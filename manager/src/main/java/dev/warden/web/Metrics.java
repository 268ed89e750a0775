package dev.warden.web;

import dev.warden.actions.Operation;
import dev.warden.actions.StepRecord;
import dev.warden.decision.Finding;
import dev.warden.decision.FindingCode;
import dev.warden.engine.ClusterMonitor;
import dev.warden.engine.MonitorListener;
import dev.warden.model.InstanceSnapshot;
import dev.warden.plan.PlanKind;
import dev.warden.topology.TopologyNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code GET /metrics} in Prometheus' text format, through Micrometer: probe latency histograms per server, lag
 * per replica, current findings per code, operations by kind and outcome, and the duration of each operation
 * phase (step kind). Labels carry cluster and server addresses only, never credentials.
 */
final class Metrics implements MonitorListener {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    Metrics() {
        // The manager's own cost: heap, threads, CPU, uptime; and which build runs.
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        dev.warden.BuildInfo b = dev.warden.BuildInfo.get();
        Gauge.builder("warden.build.info", () -> 1).description("The running build: version and commit")
                .tags("version", b.version(), "commit", b.commit()).register(registry);
    }
    private final Map<String, AtomicReference<Double>> lag = new ConcurrentHashMap<>();
    private final Map<String, AtomicReference<Double>> findings = new ConcurrentHashMap<>();
    private final Map<String, AtomicReference<Double>> reachable = new ConcurrentHashMap<>();
    private final Set<String> counted = ConcurrentHashMap.newKeySet();

    /** Several managers: how long ZooKeeper round trips take (leadership proofs before steps; reads of who leads). */
    void coordination(dev.warden.coordination.Coordination c) {
        for (String kind : List.of("prove", "read")) {
            Timer t = Timer.builder("warden.coordination.latency").description("Round trips to ZooKeeper: 'prove' "
                    + "before every step of an operation, 'read' of who leads each cluster").tags("kind", kind)
                    .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(Duration.ofSeconds(5)).register(registry);
            c.onRoundTrip(kind, t::record);
        }
    }

    String scrape() {
        return registry.scrape();
    }

    @Override
    public void cycled(ClusterMonitor cluster, ClusterMonitor.Cycle cycle) {
        String name = cluster.name();
        for (InstanceSnapshot s : cycle.snapshot().all()) {
            String server = s.key().toString();
            Timer.builder("warden.probe").description("Time to probe one server (connect and read its state)")
                    .tags("cluster", name, "server", server).publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(5))
                    .register(registry).record(s.latency());
            gauge(reachable, "warden.server.reachable", "1 when the last probe reached the server", name, server)
                    .set(s.reachable() ? 1.0 : 0.0);
        }
        for (TopologyNode n : cycle.topology().nodes().values()) {
            if (n.snapshot().reachable() && n.snapshot().state().isReplica()) {
                gauge(lag, "warden.replica.lag.seconds", "Replication lag estimate (NaN when unknown)", name,
                        n.key().toString()).set(n.lag().known() ? n.lag().estimate().toNanos() / 1e9 : Double.NaN);
            }
        }
        for (FindingCode code : FindingCode.values()) {
            long count = cycle.findings().stream().map(Finding::code).filter(code::equals).count();
            AtomicReference<Double> ref = findings.computeIfAbsent(name + "|" + code, k -> {
                AtomicReference<Double> r = new AtomicReference<>(0.0);
                Gauge.builder("warden.findings", r, AtomicReference::get).description("Current findings by code")
                        .tags("cluster", name, "code", code.name()).register(registry);
                return r;
            });
            ref.set((double) count);
        }
        Counter.builder("warden.cycles").tags("cluster", name).register(registry).increment();
        if (clusters.add(name)) {
            zeroOperationCounters(name);
        }
        managers(cluster, cycle);
    }

    private final Set<String> clusters = ConcurrentHashMap.newKeySet();

    /**
     * The operations an alert watches are counted from 0 from the cluster's first cycle: a counter that appears at 1
     * gives {@code increase()} nothing to compare with, so the first failed failover would never alert.
     */
    private void zeroOperationCounters(String cluster) {
        for (PlanKind kind : ALERTED_KINDS) {
            for (Operation.Outcome outcome : Operation.Outcome.values()) {
                if (outcome != Operation.Outcome.RUNNING) {
                    operations(cluster, kind, outcome);
                }
            }
        }
    }

    static final List<PlanKind> ALERTED_KINDS = List.of(PlanKind.FAILOVER, PlanKind.SWITCHOVER, PlanKind.REFENCE);

    private Counter operations(String cluster, PlanKind kind, Operation.Outcome outcome) {
        return Counter.builder("warden.operations").description("Operations by kind and outcome")
                .tags("cluster", cluster, "kind", kind.name().toLowerCase(java.util.Locale.ROOT), "outcome",
                        outcome.name().toLowerCase(java.util.Locale.ROOT)).register(registry);
    }

    private final Map<String, AtomicReference<Double>> leading = new ConcurrentHashMap<>();

    /** Several managers: whether this one leads, how often that changed, and the managers' quorum rounds. */
    private void managers(ClusterMonitor cluster, ClusterMonitor.Cycle cycle) {
        dev.warden.decision.Leadership l = cluster.leadership();
        if (l == dev.warden.decision.Leadership.ALONE) {
            return;
        }
        String name = cluster.name();
        AtomicReference<Double> ref = leading.computeIfAbsent(name, k -> {
            AtomicReference<Double> r = new AtomicReference<>(Double.NaN);
            Gauge.builder("warden.leader", r, AtomicReference::get).description("1 when this manager leads the "
                    + "cluster, 0 when another does or coordination is down").tags("cluster", name).register(registry);
            // From 0, so that a dashboard's increase() sees the first change and the first round.
            leadershipChanges(name);
            quorumRounds(name, "held");
            quorumRounds(name, "confirmed");
            return r;
        });
        double now = l.leads() ? 1.0 : 0.0;
        Double before = ref.getAndSet(now);
        if (before != null && !before.isNaN() && before != now) {
            leadershipChanges(name).increment();
        }
        for (Finding f : cycle.findings()) {
            if (f.code().primaryGone() && f.votes().stream().anyMatch(v -> v.observer().startsWith("manager "))) {
                quorumRounds(name, f.pending() ? "held" : "confirmed").increment();
            }
        }
    }

    private Counter leadershipChanges(String cluster) {
        return Counter.builder("warden.leadership.changes").description("Times this manager took up or lost the "
                + "leadership of the cluster").tags("cluster", cluster).register(registry);
    }

    private Counter quorumRounds(String cluster, String result) {
        return Counter.builder("warden.manager.quorum.rounds").description("Verdicts that the primary is gone put to "
                + "the managers' quorum, by result").tags("cluster", cluster, "result", result).register(registry);
    }

    private AtomicReference<Double> gauge(Map<String, AtomicReference<Double>> map, String metric, String help,
                                          String cluster, String server) {
        return map.computeIfAbsent(cluster + "|" + server, k -> {
            AtomicReference<Double> r = new AtomicReference<>(Double.NaN);
            Gauge.builder(metric, r, AtomicReference::get).description(help).tags("cluster", cluster, "server", server)
                    .register(registry);
            return r;
        });
    }

    @Override
    public void operationChanged(Operation op) {
        if (op.outcome() == Operation.Outcome.RUNNING || !counted.add(op.id())) {
            return;
        }
        String cluster = op.plan().cluster();
        String kind = op.plan().kind().name().toLowerCase(java.util.Locale.ROOT);
        operations(cluster, op.plan().kind(), op.outcome()).increment();
        for (StepRecord r : op.steps()) {
            if (r.took() != null) {
                Timer.builder("warden.operation.phase").description("Duration of each step of an operation")
                        .tags("cluster", cluster, "kind", kind, "phase", r.step().kind()).register(registry)
                        .record(r.took());
            }
        }
        if (op.endedAt() != null) {
            Timer.builder("warden.operation").description("Duration of whole operations")
                    .tags("cluster", cluster, "kind", kind).register(registry)
                    .record(Duration.between(op.startedAt(), op.endedAt()));
        }
        if (op.writePause() != null) {
            Timer.builder("warden.switchover.write.pause").description("Writes refused during a switchover")
                    .tags("cluster", cluster).register(registry).record(op.writePause());
        }
    }
}
