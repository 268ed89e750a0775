package dev.warden.engine;

import dev.warden.actions.Operation;
import dev.warden.actions.OperationLog;
import dev.warden.actions.PlanRunner;
import dev.warden.actions.StepRecord;
import dev.warden.actions.StepStatus;
import dev.warden.config.ClusterConfig;
import dev.warden.config.FailoverPolicy;
import dev.warden.config.ProbeSettings;
import dev.warden.config.ServerConfig;
import dev.warden.decision.Aftercare;
import dev.warden.decision.Analyzer;
import dev.warden.decision.ClusterControls;
import dev.warden.decision.ClusterHistory;
import dev.warden.decision.ClusterView;
import dev.warden.decision.Decision;
import dev.warden.decision.FailoverRecord;
import dev.warden.decision.Finding;
import dev.warden.decision.FindingCode;
import dev.warden.decision.Planner;
import dev.warden.model.ClusterSnapshot;
import dev.warden.model.InstanceKey;
import dev.warden.model.InstanceSnapshot;
import dev.warden.plan.Plan;
import dev.warden.plan.PlanKind;
import dev.warden.plan.Promote;
import dev.warden.probe.ClusterProber;
import dev.warden.probe.PrimaryWatch;
import dev.warden.topology.ClusterSummary;
import dev.warden.topology.DiscoveryReport;
import dev.warden.topology.HeartbeatLog;
import dev.warden.topology.Topology;
import dev.warden.topology.TopologyNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches and, when needed, repairs one cluster. Each cycle: write the heartbeat on the primary, probe every
 * known server, derive the topology, find problems, fence and re-attach old primaries, and decide about the
 * primary. A failover runs under the cluster's lock after probing and deciding again on fresh data. The cycle
 * ends in one logged sentence. Cycles run one at a time from one thread; the accessors may be read anywhere.
 */
public final class ClusterMonitor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClusterMonitor.class);
    private static final int MAX_SERVERS = 256;
    /** The first cycle runs in a cold JVM (driver and TLS classes load on the first connect). */
    static final Duration FIRST_CYCLE_TIMEOUT = Duration.ofSeconds(5);

    private final ClusterConfig config;
    private final ProbeSettings probe;
    private final FailoverPolicy policy;
    private final ClusterProber prober;
    private final PlanRunner runner;
    private final OperationLog operations;
    private final Clock clock;
    private final PrimaryWatch watch;
    private final Runnable wakeup;
    private final Events events;
    private final dev.warden.proxy.HaproxySync haproxy;
    private final dev.warden.config.SwitchoverPolicy switchoverPolicy;
    private final dev.warden.decision.Integrations integrations;
    private final java.util.Set<String> announced = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile Operation running;
    private final Map<InstanceKey, ServerConfig> configured = new LinkedHashMap<>();
    private final Set<InstanceKey> watched = new LinkedHashSet<>();
    private final ReentrantLock operationLock = new ReentrantLock();
    private final AtomicReference<ClusterControls> controls = new AtomicReference<>(ClusterControls.NONE);
    private HeartbeatLog heartbeats = HeartbeatLog.empty(0);
    private ClusterHistory history = ClusterHistory.EMPTY;
    private volatile Cycle latest;

    /**
     * The result of one cycle.
     *
     * @param suspicious the primary may be gone: the next cycle should come sooner
     */
    public record Cycle(long number, ClusterSnapshot snapshot, Topology topology, List<Finding> findings,
                        Decision decision, String sentence, boolean suspicious) {
    }

    /** Hooks fired outside plans (failure detected, quarantine, pool changes, failed operations). */
    public interface Events {
        Events NONE = p -> { };

        void fire(dev.warden.hooks.HookPayload payload);
    }

    public ClusterMonitor(ClusterConfig config, ProbeSettings probe, FailoverPolicy policy, ClusterProber prober,
                          PlanRunner runner, OperationLog operations, Clock clock, PrimaryWatch watch,
                          Runnable wakeup) {
        this(config, probe, policy, dev.warden.config.SwitchoverPolicy.DEFAULTS, prober, runner, operations, clock,
                watch, wakeup, Events.NONE, null, dev.warden.decision.Integrations.NONE);
    }

    public ClusterMonitor(ClusterConfig config, ProbeSettings probe, FailoverPolicy policy,
                          dev.warden.config.SwitchoverPolicy switchoverPolicy, ClusterProber prober, PlanRunner runner,
                          OperationLog operations, Clock clock, PrimaryWatch watch, Runnable wakeup, Events events,
                          dev.warden.proxy.HaproxySync haproxy, dev.warden.decision.Integrations integrations) {
        this.switchoverPolicy = switchoverPolicy;
        this.events = events;
        this.haproxy = haproxy;
        this.integrations = integrations;
        this.config = config;
        this.probe = probe;
        this.policy = policy;
        this.prober = prober;
        this.runner = runner;
        this.operations = operations;
        this.clock = clock;
        this.watch = watch;
        this.wakeup = wakeup;
        for (ServerConfig s : config.servers()) {
            configured.put(s.key(), s);
        }
        watched.addAll(config.keys());
    }

    public String name() {
        return config.name();
    }

    public ClusterConfig config() {
        return config;
    }

    public Optional<Cycle> latest() {
        return Optional.ofNullable(latest);
    }

    public ClusterControls controls() {
        return controls.get();
    }

    public List<Operation> operations() {
        return operations.forCluster(config.name());
    }

    // ---- operator controls ----------------------------------------------------------------------------

    /** Lifts the anti-flap block: the next confirmed failure may be failed over automatically. */
    public void acknowledge(String who) {
        update(ClusterControls::acknowledged);
        log.info("Cluster {}: {} acknowledged the last failover; automatic failover is allowed again.", name(), who);
        wakeup.run();
    }

    public void maintenance(boolean on, String who) {
        update(c -> c.withMaintenance(on));
        log.info("Cluster {}: maintenance {} by {}: automation {}.", name(), on ? "on" : "off", who,
                on ? "suspended" : "resumed");
        wakeup.run();
    }

    public void maintenance(InstanceKey server, boolean on, String who) {
        update(c -> c.withServerMaintenance(server, on));
        log.info("Cluster {}: maintenance {} for {} by {}.", name(), on ? "on" : "off", server, who);
        wakeup.run();
    }

    private void update(UnaryOperator<ClusterControls> change) {
        controls.updateAndGet(change);
    }

    // ---- the cycle ----------------------------------------------------------------------------------

    public Cycle cycle() {
        Cycle previous = latest;
        Observed o = observe(previous, true);
        Instant now = clock.instant();
        ClusterView view = view(o.topology);
        List<Finding> findings = Analyzer.analyze(view, now);

        aftercare(view, now);
        announce(findings, now);
        if (haproxy != null) {
            haproxy.sync(o.topology);
        }

        Optional<Finding> top = findings.stream().filter(f -> f.code().primaryGone()
                || (f.pending() && (f.code() == FindingCode.UnreachablePrimary
                || f.code() == FindingCode.PrimaryNotWriting))).findFirst();
        Decision decision = top.map(f -> Planner.decide(f, view, now))
                .orElse(new Decision.Skip(findings.isEmpty() ? "cluster healthy"
                        : "reporting " + String.join(", ", findings.stream().map(f -> f.code().name()).distinct()
                        .toList())));
        if (decision instanceof Decision.Act act) {
            decision = failover(top.get(), act);
        }
        boolean suspicious = suspicious(view, now) || decision instanceof Decision.Wait;
        watch.follow(o.topology.primary().filter(p -> p.snapshot().reachable()).map(TopologyNode::key).orElse(null));

        String sentence = ClusterSummary.sentence(o.topology) + sentence(findings, decision);
        Cycle c = new Cycle(previous == null ? 1 : previous.number() + 1, o.snapshot, o.topology, findings, decision,
                sentence, suspicious);
        latest = c;
        log.info(sentence);
        return c;
    }

    private static String sentence(List<Finding> findings, Decision decision) {
        if (decision instanceof Decision.Skip s && findings.isEmpty()) {
            return "; no action";
        }
        String found = findings.isEmpty() ? "" : " | " + findings.get(0).sentence()
                + (findings.size() > 1 ? " (+" + (findings.size() - 1) + " more)" : "");
        return found + " -> " + decision.sentence();
    }

    /** A snapshot, the history advanced by it, and the topology derived from it. */
    private record Observed(ClusterSnapshot snapshot, Topology topology) {
    }

    private synchronized Observed observe(Cycle previous, boolean writeHeartbeat) {
        ClusterProber.HeartbeatTarget target = null;
        if (writeHeartbeat && probe.writeHeartbeat() && previous != null) {
            Optional<TopologyNode> t = previous.topology().heartbeatTarget();
            if (t.isPresent()) {
                target = new ClusterProber.HeartbeatTarget(t.get().key(), t.get().snapshot().state().serverId());
            }
        }
        ClusterSnapshot snapshot = previous == null
                ? prober.probe(config.name(), List.copyOf(watched), null, FIRST_CYCLE_TIMEOUT)
                : prober.probe(config.name(), List.copyOf(watched), target);
        if (target != null) {
            InstanceSnapshot written = snapshot.get(target.key()).orElse(null);
            if (written != null) {
                heartbeats = heartbeats.with(written.heartbeatWrite());
            }
        }
        history = history.next(snapshot);
        Topology topology = Topology.of(snapshot, config.keys(), heartbeats,
                previous == null ? null : previous.topology());
        follow(snapshot, topology);
        return new Observed(snapshot, topology);
    }

    private synchronized ClusterView view(Topology topology) {
        return new ClusterView(topology, history, controls.get(), policy, configured, integrations);
    }

    /** Fires failure_detected and primary_quarantined once per incident (again only after it cleared). */
    private void announce(List<Finding> findings, Instant now) {
        java.util.Set<String> current = new java.util.HashSet<>();
        for (Finding f : findings) {
            dev.warden.model.HookEvent e = f.code().primaryGone() ? dev.warden.model.HookEvent.FAILURE_DETECTED
                    : f.code() == FindingCode.QuarantinedPrimary ? dev.warden.model.HookEvent.PRIMARY_QUARANTINED : null;
            if (e == null) {
                continue;
            }
            String key = e + "|" + f.server();
            current.add(key);
            if (announced.add(key)) {
                events.fire(new dev.warden.hooks.HookPayload(e, name(), null, f.server(), null, null, null,
                        f.server(), f.sentence(), now));
            }
        }
        announced.retainAll(current);
    }

    /** The primary looks gone (recently): probe faster until that is confirmed or refuted. */
    private boolean suspicious(ClusterView view, Instant now) {
        Optional<TopologyNode> p = view.topology().primary();
        if (p.isEmpty()) {
            return false;
        }
        var h = view.history().of(p.get().key());
        if (h == null) {
            return false;
        }
        Duration horizon = policy.confirmationWindow().plus(policy.replicaSilence()).plus(Duration.ofSeconds(2));
        Instant since = h.unreachableSince() != null ? h.unreachableSince() : h.writeStuckSince();
        return since != null && Duration.between(since, now).compareTo(horizon) < 0;
    }

    /** Adds servers named by replication links that are not watched yet (but never another address of a known one). */
    private void follow(ClusterSnapshot snapshot, Topology topology) {
        Set<Long> knownIds = new java.util.HashSet<>();
        topology.nodes().values().forEach(n -> knownIds.add(n.identity().serverId()));
        List<InstanceKey> found = new ArrayList<>();
        for (InstanceSnapshot s : snapshot.all()) {
            for (InstanceKey n : DiscoveryReport.neighbours(s)) {
                if (watched.contains(n) || topology.aliases().containsKey(n) || found.contains(n)
                        || watched.size() + found.size() >= MAX_SERVERS) {
                    continue;
                }
                boolean knownReplica = s.state().connectedReplicas().stream()
                        .anyMatch(c -> n.equals(c.keyOrNull()) && knownIds.contains(c.serverId()));
                if (!knownReplica) {
                    found.add(n);
                }
            }
        }
        for (InstanceKey k : found) {
            log.warn("Cluster {}: found {} through replication links; it is not in the configuration, watching it "
                    + "too (add it to clusters.{}.servers to set its promotion rule).", config.name(), k, config.name());
            watched.add(k);
        }
    }

    // ---- acting ---------------------------------------------------------------------------------------

    /** Takes the lock, probes and decides again on fresh data, and runs the failover that decision gives. */
    private Decision failover(Finding trigger, Decision.Act first) {
        if (!operationLock.tryLock()) {
            return new Decision.Skip("another operation runs on cluster " + name());
        }
        try {
            Observed fresh = observe(latest, false);
            Instant now = clock.instant();
            ClusterView view = view(fresh.topology);
            Optional<Finding> again = Analyzer.analyze(view, now).stream().filter(f -> f.code() == trigger.code())
                    .findFirst();
            if (again.isEmpty()) {
                String why = "re-checked on fresh data: " + trigger.code() + " no longer holds";
                log.info("Cluster {}: {} (was: {}).", name(), why, first.plan().summary());
                return new Decision.Skip(why);
            }
            Decision d = Planner.decide(again.get(), view, now);
            if (!(d instanceof Decision.Act act)) {
                return d;
            }
            run(act.plan(), again.get());
            return act;
        } finally {
            operationLock.unlock();
        }
    }

    private Operation run(Plan plan, Finding trigger) {
        Instant start = clock.instant();
        Operation op = new Operation(operations.nextId(name(), start), plan, "automatic",
                trigger == null ? List.of() : trigger.votes(), start);
        operations.add(op);
        running = op;
        try {
            runner.run(op);
        } finally {
            running = null;
        }
        if (op.outcome() != Operation.Outcome.SUCCEEDED && (plan.kind() == PlanKind.FAILOVER
                || plan.kind() == PlanKind.SWITCHOVER)) {
            events.fire(new dev.warden.hooks.HookPayload(plan.kind() == PlanKind.FAILOVER
                    ? dev.warden.model.HookEvent.FAILOVER_FAILED : dev.warden.model.HookEvent.SWITCHOVER_FAILED,
                    name(), op.id(), plan.oldPrimary(), null, plan.candidate(), plan.dataLossBound(), null,
                    op.summary(), clock.instant()));
        }
        if (plan.kind() == PlanKind.FAILOVER && promoted(op)) {
            FailoverRecord record = new FailoverRecord(op.id(), plan.oldPrimary(), plan.candidate(), clock.instant());
            controls.updateAndGet(c -> c.afterFailover(record, record.at().plus(policy.antiFlap())));
            synchronized (this) {
                heartbeats = HeartbeatLog.empty(0);
            }
            log.info("Cluster {}: {} is the new primary; {} stays fenced; no automatic failover before {} unless "
                    + "acknowledged.", name(), plan.candidate(), plan.oldPrimary(), record.at().plus(policy.antiFlap()));
            wakeup.run();
        }
        return op;
    }

    private static boolean promoted(Operation op) {
        for (StepRecord r : op.steps()) {
            if (r.step() instanceof Promote) {
                return r.status() == StepStatus.DONE || r.status() == StepStatus.ALREADY_DONE;
            }
        }
        return false;
    }

    /** The operation that holds the cluster's lock right now, if any. */
    public Optional<Operation> running() {
        return Optional.ofNullable(running);
    }

    /** Refusals and outcomes of a switchover request. */
    public sealed interface SwitchoverResult {
        record Refused(List<String> reasons) implements SwitchoverResult {
        }

        record Busy(String reason) implements SwitchoverResult {
        }

        record Planned(Plan plan) implements SwitchoverResult {
        }

        record Ran(Operation operation) implements SwitchoverResult {
        }
    }

    /**
     * A planned switchover to {@code target} (null: the best candidate). Probes afresh, prechecks (a refusal
     * changes nothing), and runs under the cluster's lock in the caller's thread; a second request while any
     * operation runs is refused at once.
     */
    public SwitchoverResult switchover(InstanceKey target, boolean dryRun, String who) {
        if (!dryRun && !operationLock.tryLock()) {
            Operation other = running;
            return new SwitchoverResult.Busy("an operation is already running on cluster " + name()
                    + (other == null ? "" : ": " + other.id() + " (" + other.plan().summary() + ")"));
        }
        try {
            Observed fresh = observe(latest, false);
            Instant now = clock.instant();
            dev.warden.decision.Switchover.Decision d = dev.warden.decision.Switchover.plan(view(fresh.topology),
                    target, switchoverPolicy, now);
            if (d.refused()) {
                log.info("Cluster {}: switchover{} requested by {} refused: {}.", name(),
                        target == null ? "" : " to " + target, who, String.join("; ", d.refusals()));
                return new SwitchoverResult.Refused(d.refusals());
            }
            if (dryRun) {
                return new SwitchoverResult.Planned(d.plan());
            }
            Instant start = clock.instant();
            Plan plan = new Plan(d.plan().kind(), d.plan().cluster(), "switchover requested by " + who,
                    d.plan().oldPrimary(), d.plan().candidate(), d.plan().why(), 0, List.of(), List.of(),
                    d.plan().steps(), d.plan().undo(), d.plan().undoBefore());
            Operation op = new Operation(operations.nextId(name(), start), plan, who, List.of(), start);
            operations.add(op);
            running = op;
            try {
                runner.run(op);
            } finally {
                running = null;
            }
            if (op.outcome() != Operation.Outcome.SUCCEEDED) {
                events.fire(new dev.warden.hooks.HookPayload(dev.warden.model.HookEvent.SWITCHOVER_FAILED, name(),
                        op.id(), plan.oldPrimary(), null, plan.candidate(), null, null, op.summary(), clock.instant()));
            } else {
                synchronized (this) {
                    heartbeats = HeartbeatLog.empty(0);
                }
                log.info("Cluster {}: switchover {} -> {} done; writes paused {} ms.", name(), plan.oldPrimary(),
                        plan.candidate(), op.writePause() == null ? "?" : op.writePause().toMillis());
            }
            wakeup.run();
            return new SwitchoverResult.Ran(op);
        } finally {
            if (!dryRun) {
                operationLock.unlock();
            }
        }
    }

    /** Fences old primaries that answer writable again and re-attaches what may rejoin. */
    private void aftercare(ClusterView view, Instant now) {
        Aftercare care = Aftercare.of(view, now);
        for (InstanceKey settled : care.settled()) {
            controls.updateAndGet(c -> c.unfenced(settled));
            log.info("Cluster {}: old primary {} replicates from the new primary; no longer fenced.", name(), settled);
        }
        if (care.plans().isEmpty() || !operationLock.tryLock()) {
            return;
        }
        try {
            for (Plan p : care.plans()) {
                run(p, null);
            }
        } finally {
            operationLock.unlock();
        }
    }

    @Override
    public void close() {
        watch.close();
        prober.close();
    }
}
