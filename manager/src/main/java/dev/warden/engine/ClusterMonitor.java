package dev.warden.engine;

import dev.warden.actions.Operation;
import dev.warden.actions.OperationLog;
import dev.warden.actions.PlanRunner;
import dev.warden.actions.StepOutcome;
import dev.warden.actions.StepRecord;
import dev.warden.actions.StepStatus;
import dev.warden.config.ClusterConfig;
import dev.warden.config.FailoverPolicy;
import dev.warden.config.LogSettings;
import dev.warden.config.ProbeSettings;
import dev.warden.config.ServerConfig;
import dev.warden.coordination.Coordination;
import dev.warden.decision.Aftercare;
import dev.warden.decision.Analyzer;
import dev.warden.decision.ClusterControls;
import dev.warden.decision.ClusterHistory;
import dev.warden.decision.ClusterView;
import dev.warden.decision.Decision;
import dev.warden.decision.FailoverRecord;
import dev.warden.decision.Finding;
import dev.warden.decision.FindingCode;
import dev.warden.decision.HeartbeatTuning;
import dev.warden.decision.Planner;
import dev.warden.decision.Resumption;
import dev.warden.logging.LogContext;
import dev.warden.model.ClusterSnapshot;
import dev.warden.model.InstanceKey;
import dev.warden.model.InstanceSnapshot;
import dev.warden.plan.Plan;
import dev.warden.plan.PlanKind;
import dev.warden.plan.Promote;
import dev.warden.probe.ClusterProber;
import dev.warden.probe.PrimaryWatch;
import dev.warden.store.AuditStore.UserAction;
import dev.warden.store.Store;
import dev.warden.store.StoreException;
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
    /** Every cycle's sentence, at DEBUG (INFO carries what changed: {@link CycleLog}). */
    private static final Logger CYCLES = LoggerFactory.getLogger("dev.warden.cycles");
    private volatile CycleLog cycleLog = new CycleLog(LogSettings.DEFAULTS.summaryInterval());
    private static final int MAX_SERVERS = 256;
    /** Beyond the detection windows, how long an operation a restart cut short waits for its evidence. */
    static final Duration RESUME_EVIDENCE_GRACE = Duration.ofSeconds(10);
    /** The first cycle runs in a cold JVM (driver and TLS classes load on the first connect). */
    static final Duration FIRST_CYCLE_TIMEOUT = Duration.ofSeconds(5);

    private final ClusterConfig config;
    private final ProbeSettings probe;
    private final FailoverPolicy policy;
    private final ClusterProber prober;
    private final OperationLog operations;
    private final ClusterOperations ops;
    private final MonitorListener listener;
    private final Clock clock;
    private final PrimaryWatch watch;
    private final Runnable wakeup;
    private final Events events;
    private final dev.warden.proxy.HaproxySync haproxy;
    private final dev.warden.decision.Integrations integrations;
    private final java.util.concurrent.ExecutorService proxySync = java.util.concurrent.Executors
            .newSingleThreadExecutor(r -> {
                Thread th = new Thread(r, "haproxy-sync");
                th.setDaemon(true);
                return th;
            });
    private final java.util.concurrent.atomic.AtomicBoolean proxySyncing =
            new java.util.concurrent.atomic.AtomicBoolean();
    private final java.util.Set<String> announced = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Publishes the primary to the key-value stores; null when none are configured. */
    private volatile dev.warden.kv.KvPublisher kv;
    private final java.util.concurrent.ExecutorService kvSync = java.util.concurrent.Executors
            .newSingleThreadExecutor(r -> {
                Thread th = new Thread(r, "kv-sync");
                th.setDaemon(true);
                return th;
            });
    private final java.util.concurrent.atomic.AtomicBoolean kvSyncing = new java.util.concurrent.atomic.AtomicBoolean();
    /** What the last check of the key-value stores found (empty when none ran, or this manager does not act). */
    private volatile List<dev.warden.decision.KvCheck> lastKv = List.of();
    private final Map<InstanceKey, ServerConfig> configured = new LinkedHashMap<>();
    private final Set<InstanceKey> watched = new LinkedHashSet<>();
    private final AtomicReference<ClusterControls> controls = new AtomicReference<>(ClusterControls.NONE);
    private HeartbeatLog heartbeats = HeartbeatLog.empty(0);
    private ClusterHistory history = ClusterHistory.EMPTY;
    private volatile Cycle latest;
    private final Store store;
    private final Coordination.Seat seat;
    private final PlanRunner runner;
    /** The epoch of the leadership this manager last took up (0: none yet, or alone). */
    private volatile long ledEpoch;
    private final List<Operation> unfinished = new ArrayList<>();
    /** When operations a restart cut short stop waiting for their evidence (set at the first cycle). */
    private Instant resumeGiveUpAt;
    /** When Warden last tried to set each replica's heartbeat period. */
    private final Map<InstanceKey, Instant> heartbeatTried = new java.util.concurrent.ConcurrentHashMap<>();
    private final ObserveLog observed = new ObserveLog();
    /** Each server's last snapshot that reached it: what Orchestrator's API shows of a server that is down now. */
    private final Map<InstanceKey, dev.warden.model.InstanceSnapshot> lastReachable =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** The last snapshot of {@code server} that reached it, or null when none did. */
    public dev.warden.model.InstanceSnapshot lastReachable(InstanceKey server) {
        return lastReachable.get(server);
    }

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

    public ClusterMonitor(ClusterConfig config, ProbeSettings probe, FailoverPolicy policy,
                          dev.warden.config.SwitchoverPolicy switchoverPolicy, ClusterProber prober, PlanRunner runner,
                          OperationLog operations, Clock clock, PrimaryWatch watch, Runnable wakeup, Events events,
                          dev.warden.proxy.HaproxySync haproxy, dev.warden.decision.Integrations integrations,
                          Store store, MonitorListener listener) {
        this(config, probe, policy, switchoverPolicy, prober, runner, operations, clock, watch, wakeup, events, haproxy,
                integrations, store, listener, Coordination.ALONE.seat(config.name()));
    }

    /** @param seat the cluster's place among several managers ({@link Coordination#ALONE}'s when alone) */
    public ClusterMonitor(ClusterConfig config, ProbeSettings probe, FailoverPolicy policy,
                          dev.warden.config.SwitchoverPolicy switchoverPolicy, ClusterProber prober, PlanRunner runner,
                          OperationLog operations, Clock clock, PrimaryWatch watch, Runnable wakeup, Events events,
                          dev.warden.proxy.HaproxySync haproxy, dev.warden.decision.Integrations integrations,
                          Store store, MonitorListener listener, Coordination.Seat seat) {
        this.seat = seat;
        this.store = store;
        this.listener = listener;
        this.runner = runner;
        this.ops = new ClusterOperations(new Hooks(), runner, operations, store, listener, events, switchoverPolicy,
                clock, policy.retryInterval());
        this.events = events;
        this.haproxy = haproxy;
        this.integrations = integrations;
        this.config = config;
        this.probe = probe;
        this.policy = policy;
        this.prober = prober;
        this.operations = operations;
        this.clock = clock;
        this.watch = watch;
        this.wakeup = wakeup;
        // Another manager confirming the primary gone (or seeing it again) is decided on at once, not next cycle.
        seat.onPeerVerdict(wakeup);
        for (ServerConfig s : config.servers()) {
            configured.put(s.key(), s);
        }
        watched.addAll(config.keys());
        // What earlier runs decided and left unfinished: it must hold before the first decision of this one.
        controls.set(store.controls().load(config.name(), clock.instant()));
        unfinished.addAll(store.operations().unfinished(config.name()));
        // The store's lock was lost and is held again: another manager may have acted meanwhile.
        store.onLockRegained(() -> {
            ClusterControls fresh = store.controls().load(config.name(), clock.instant());
            controls.set(fresh.withInterruption(controls.get().interrupted()));
        });
        ClusterControls c = controls.get();
        if (c.maintenance() || !c.serversInMaintenance().isEmpty() || c.antiFlapUntil() != null
                || !c.fenced().isEmpty() || !unfinished.isEmpty()) {
            log.info("Cluster {}: from the store: maintenance {}{}, anti-flap {}, fenced {}, {} unfinished operation(s).",
                    config.name(), c.maintenance() ? "on" : "off", c.serversInMaintenance().isEmpty() ? ""
                            : " (servers " + c.serversInMaintenance() + ")",
                    c.antiFlapUntil() == null ? "none" : "until " + c.antiFlapUntil(), c.fenced(), unfinished.size());
        }
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

    /** Who leads this cluster among the managers ({@link dev.warden.decision.Leadership#ALONE} alone). */
    public dev.warden.decision.Leadership leadership() {
        return seat.leadership();
    }

    /** The failover that would run if the primary were lost now, from the last cycle (empty before the first). */
    public Optional<Decision> failoverPlanNow() {
        Cycle c = latest;
        return c == null ? Optional.empty() : Optional.of(Planner.hypothetical(view(c.topology()), clock.instant()));
    }

    public List<Operation> operations() {
        return operations.forCluster(config.name());
    }

    // ---- operator controls ----------------------------------------------------------------------------

    /**
     * Lifts the anti-flap block (the next confirmed failure may be failed over automatically) and clears a
     * reported interruption. Kept in the store first: throws {@link StoreException}, changing nothing, if it cannot be.
     */
    public void acknowledge(Actor who) {
        ClusterControls before = controls.get();
        String lifted = (before.antiFlapUntil() == null ? "no anti-flap block" : "anti-flap block until "
                + before.antiFlapUntil()) + (before.interrupted() == null ? ""
                : "; interrupted " + before.interrupted().operationId());
        store.controls().acknowledged(name(), who.name(), who.source(), lifted, clock.instant());
        update(ClusterControls::acknowledged);
        audit(who, "acknowledge", null, lifted, "done");
        log.info("Cluster {}: {} acknowledged ({}); automatic failover is allowed again.", name(), who, lifted);
        wakeup.run();
    }

    /** Maintenance of the whole cluster; {@code until} null: until switched off. Kept in the store first. */
    public void maintenance(boolean on, Instant until, Actor who, String reason) {
        store.controls().maintenance(name(), null, on, until, who.name(), who.source(), reason, clock.instant());
        update(c -> c.withMaintenance(on, until));
        audit(who, on ? "maintenance on" : "maintenance off", null, until == null ? reason
                : "until " + until + (reason == null ? "" : ": " + reason), "done");
        log.info("Cluster {}: maintenance {} by {}{}: automation {}.", name(), on ? "on" : "off", who,
                on && until != null ? " until " + until : "", on ? "suspended" : "resumed");
        wakeup.run();
    }

    /** Maintenance of one server (never promoted, fenced or re-pointed). Kept in the store first. */
    public void maintenance(InstanceKey server, boolean on, Instant until, Actor who, String reason) {
        store.controls().maintenance(name(), server, on, until, who.name(), who.source(), reason, clock.instant());
        update(c -> c.withServerMaintenance(server, on, until));
        audit(who, on ? "maintenance on" : "maintenance off", server.toString(), until == null ? reason
                : "until " + until + (reason == null ? "" : ": " + reason), "done");
        log.info("Cluster {}: maintenance {} for {} by {}{}.", name(), on ? "on" : "off", server, who,
                on && until != null ? " until " + until : "");
        wakeup.run();
    }

    public void maintenance(boolean on, String who) {
        maintenance(on, null, new Actor(who, null), null);
    }

    public void maintenance(InstanceKey server, boolean on, String who) {
        maintenance(server, on, null, new Actor(who, null), null);
    }

    private void update(UnaryOperator<ClusterControls> change) {
        controls.updateAndGet(change);
    }

    private void audit(Actor who, String action, String target, String detail, String outcome) {
        store.audit().record(new UserAction(clock.instant(), who.name(), who.source(), action, name(), target, detail,
                outcome));
    }

    /** Ends maintenance windows whose time is up. */
    private void expireMaintenance(Instant now) {
        for (InstanceKey k : controls.get().expiredMaintenance(now)) {
            try {
                store.controls().expired(name(), k, now);
            } catch (StoreException e) {
                log.error("Cluster {}: {}", name(), e.getMessage());
            }
            update(c -> k == null ? c.withMaintenance(false) : c.withServerMaintenance(k, false));
            log.info("Cluster {}: maintenance {}ended: its time was up; automation resumed.", name(),
                    k == null ? "" : "of " + k + " ");
        }
    }

    // ---- the cycle ----------------------------------------------------------------------------------

    /** How often the cluster's state is logged at INFO while nothing changes (logging.summary_interval). */
    public void logSummariesEvery(Duration every) {
        cycleLog = new CycleLog(every);
    }

    public Cycle cycle() {
        try (LogContext ignored = LogContext.with("cluster", name())) {
            return observeAndDecide();
        }
    }

    private Cycle observeAndDecide() {
        Cycle previous = latest;
        long routing = haproxy == null ? 0 : haproxy.routings();
        dev.warden.kv.KvPublisher stores = kv;
        long publishing = stores == null ? 0 : stores.publishings(name());
        Observed o = observe(previous, true);
        boolean resuming = false;
        dev.warden.decision.Leadership leadership = seat.leadership();
        if (leadership.leads() && leadership.epoch() != ledEpoch) {
            takeUp(leadership);
        }
        if (!unfinished.isEmpty() && leadership.leads() && leadership.epoch() == ledEpoch
                && store.lockProblem().isEmpty() && !policy.observe()) {
            if (resumeGiveUpAt == null) {
                resumeGiveUpAt = clock.instant().plus(policy.confirmationWindow()).plus(policy.replicaSilence())
                        .plus(RESUME_EVIDENCE_GRACE);
            }
            List<Operation> waiting = ops.resume(List.copyOf(unfinished), view(o.topology), resumeGiveUpAt);
            boolean changed = waiting.size() != unfinished.size();
            unfinished.clear();
            unfinished.addAll(waiting);
            resuming = !waiting.isEmpty();
            if (changed) {
                o = observe(null, false);
            }
        }
        Instant now = clock.instant();
        expireMaintenance(now);
        ClusterView view = view(o.topology);
        List<Finding> own = Analyzer.own(view, now);
        long number = previous == null ? 1 : previous.number() + 1;
        seat.publish(dev.warden.decision.ManagerObservation.of(view.managers().self(), number, view, own));
        List<Finding> findings = dev.warden.decision.ManagerQuorum.apply(own, view.managers(), now);
        if (!lastKv.isEmpty()) {
            findings = new ArrayList<>(findings);
            findings.addAll(dev.warden.decision.KvFindings.of(lastKv,
                    o.topology.heartbeatTarget().map(TopologyNode::key).orElse(null)));
        }
        store.findings().syncLater(name(), findings, now);

        // A manager that lost its store lock, or does not lead the cluster, changes nothing (another one acts).
        boolean mayAct = view.whyNotActing() == null && notTakenUp() == null && !policy.observe();
        if (mayAct) {
            aftercare(view, now, resuming);
            if (!resuming) {
                tuneHeartbeats(view, findings, now);
            }
        }
        if ((mayAct || !seat.peers().coordinated()) && !policy.observe()) {
            announce(findings, now); // with several managers, hooks fire once: from the leader
        }
        if (haproxy != null && mayAct && ops.running().isEmpty()) {
            syncProxy(o.topology, routing);
        }
        // Not while an operation runs or one a restart cut short waits: its publish decides what the stores name.
        if (stores != null && mayAct && ops.running().isEmpty() && unfinished.isEmpty()) {
            syncKv(stores, o.topology, publishing);
        } else {
            lastKv = List.of();
        }

        Optional<Finding> top = findings.stream().filter(f -> f.code().primaryGone()
                || (f.pending() && (f.code() == FindingCode.UnreachablePrimary
                || f.code() == FindingCode.PrimaryNotWriting))).findFirst();
        Decision decision = top.map(f -> Planner.decide(f, view, now))
                .orElse(new Decision.Skip(findings.isEmpty() ? "cluster healthy"
                        : "reporting " + String.join(", ", findings.stream().map(f -> f.code().name()).distinct()
                        .toList())));
        if (resuming) {
            decision = new Decision.Wait("an operation a restart cut short waits for this run's evidence: "
                    + unfinished.get(0).id() + " (" + unfinished.get(0).plan().summary() + ")");
        } else if (decision instanceof Decision.Act act && policy.observe()) {
            decision = wouldFailOver(top.get(), act, now);
        } else if (decision instanceof Decision.Act act) {
            log.info("Cluster {}: {} -> acting: {}", name(), top.get().sentence(), act.plan().summary());
            decision = ops.failover(top.get(), act);
        }
        if (policy.observe()) {
            if (top.isEmpty()) {
                observed.calm();
            }
            observed.primaryIs(now, o.topology.primary().map(TopologyNode::key).orElse(null)).ifPresent(this::observed);
        }
        boolean primaryLooksGone = suspicious(view, now);
        boolean suspicious = primaryLooksGone || decision instanceof Decision.Wait;
        if (mayAct && primaryLooksGone && ops.running().isEmpty() && !(decision instanceof Decision.Act)) {
            // The failover that may follow finds its admin sessions open (no handshakes after the verdict).
            runner.prepare(view.topology().nodes().values().stream().filter(n -> n.snapshot().reachable())
                    .map(TopologyNode::key).toList());
        } else if (!primaryLooksGone || !mayAct) {
            runner.closePrepared();
        }
        watch.follow(o.topology.primary().filter(p -> p.snapshot().reachable()).map(TopologyNode::key).orElse(null));

        String state = ClusterSummary.sentence(o.topology);
        String sentence = state + sentence(findings, decision);
        Cycle c = new Cycle(number, o.snapshot, o.topology, findings, decision,
                sentence, suspicious);
        latest = c;
        for (TopologyNode n : c.topology().nodes().values()) {
            if (n.snapshot().reachable()) {
                lastReachable.put(n.key(), n.snapshot());
            }
        }
        CYCLES.debug(sentence);
        for (CycleLog.Line l : cycleLog.lines(name(), state, findings, decision, sentence, now)) {
            log.atInfo().addKeyValue("finding", l.code()).addKeyValue("server", l.server()).log(l.text());
        }
        listener.cycled(this, c);
        return c;
    }

    /** Observe mode: what would run now is recorded (once per dead primary), and nothing runs. */
    private Decision wouldFailOver(Finding trigger, Decision.Act act, Instant now) {
        observed.wouldFailOver(now, act.plan().oldPrimary(), act.plan().candidate(), act.plan().summary(),
                trigger.sentence()).ifPresent(this::observed);
        return new Decision.Skip("observe mode (failover.mode): would fail over now: " + act.plan().summary());
    }

    private void observed(ObserveLog.Entry e) {
        log.info("Cluster {} (observe mode): {}.", name(), e.text());
        try {
            audit(new Actor("warden-observe", null), e.kind().replace('_', ' '), e.to() == null ? null
                    : e.to().toString(), e.text(), "recorded");
        } catch (RuntimeException ex) {
            log.warn("Cluster {}: the observation could not be kept in the store ({}); it stays in memory.", name(),
                    ex.getMessage());
        }
    }

    /** Whether this manager only observes the cluster (failover.mode: observe). */
    public boolean observeMode() {
        return policy.observe();
    }

    /** Observe mode's record: what Warden would have done, and what happened instead. */
    public List<ObserveLog.Entry> observed() {
        return observed.entries();
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
        if (writeHeartbeat && probe.writeHeartbeat() && previous != null && !policy.observe()) {
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
        return new ClusterView(topology, history, controls.get(), policy, configured, integrations,
                store.lockProblem().orElse(null), seat.peers());
    }

    /**
     * Why this manager may not act on the cluster as far as leadership goes: it does not lead it, or it was just
     * elected and has not read yet what the previous leader left in the shared store. Null when it may.
     */
    private String notTakenUp() {
        dev.warden.decision.Leadership l = seat.leadership();
        String why = l.whyNotActing(name());
        if (why != null || !l.leads() || l.epoch() == ledEpoch) {
            return why;
        }
        return "this manager was just elected leader of cluster " + name() + " (epoch " + l.epoch() + ") and is "
                + "reading what the previous leader left; try again in a moment";
    }

    /**
     * This manager leads the cluster now, under a new epoch: what the previous leader decided and left unfinished is
     * read from the shared store, and handled (finished, rolled back or stopped) before anything else is decided.
     * The previous leader's session ended before this leadership began, so it no longer acts.
     */
    private void takeUp(dev.warden.decision.Leadership leadership) {
        boolean first = ledEpoch == 0;
        if (seat.peers().coordinated()) {
            try {
                // First the journal learns this epoch: from here no record of an earlier leadership is written, so
                // what is read next is all the previous leader will ever have recorded.
                store.operations().claim(name(), leadership.epoch());
                // The store's controls as they are (an interruption acknowledged elsewhere stays acknowledged).
                controls.set(store.controls().load(name(), clock.instant()));
                unfinished.clear();
                unfinished.addAll(store.operations().unfinished(name()));
                resumeGiveUpAt = null;
            } catch (StoreException e) {
                // Not taken up: nothing is done until the shared store has been read (tried again next cycle).
                log.error("Cluster {}: leading it, but the shared store cannot be read or written ({}); acting on "
                        + "nothing until it can.", name(), e.getMessage());
                return;
            }
        }
        ledEpoch = leadership.epoch();
        log.info("Cluster {}: this manager leads it{} (epoch {}); from the shared store: fenced {}, {} unfinished "
                        + "operation(s).", name(), first ? "" : " again", leadership.epoch(), controls.get().fenced(),
                unfinished.size());
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

    /**
     * Adds the replicas the watched servers have registered that are not watched yet (never another address of a
     * known one). Only downstream: a source outside the configured servers (another site's primary, a second
     * channel's source) is never adopted, so it can never be taken for this cluster's primary, written to or failed
     * over.
     */
    private void follow(ClusterSnapshot snapshot, Topology topology) {
        Set<Long> knownIds = new java.util.HashSet<>();
        topology.nodes().values().forEach(n -> knownIds.add(n.identity().serverId()));
        List<InstanceKey> found = new ArrayList<>();
        for (InstanceSnapshot s : snapshot.all()) {
            if (s.state() == null) {
                continue;
            }
            for (InstanceKey n : s.state().connectedReplicas().stream().map(c -> c.keyOrNull())
                    .filter(java.util.Objects::nonNull).toList()) {
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

    // ---- acting: see ClusterOperations ---------------------------------------------------------------

    /** The operation that holds the cluster's lock right now, if any. */
    public Optional<Operation> running() {
        return ops.running();
    }

    /**
     * A planned switchover to {@code target} (null: the best candidate). Probes afresh, prechecks (a refusal
     * changes nothing), and runs under the cluster's lock in the caller's thread; a second request while any
     * operation runs is refused at once. Recorded in the audit.
     */
    public RequestResult switchover(InstanceKey target, boolean dryRun, Actor who) {
        RequestResult r = ops.switchover(target, dryRun, who);
        if (!dryRun) {
            audit(who, "switchover", target == null ? "best candidate" : target.toString(), r);
        }
        return r;
    }

    /**
     * A failover asked for by a person. For a primary confirmed gone it runs even in maintenance, within the
     * anti-flap period or with automatic failover off; for one that is not, it is refused unless {@code force}
     * (the caller checks that an admin asked, with a reason). Recorded in the audit.
     */
    public RequestResult failover(Actor who, boolean force, String reason, boolean dryRun) {
        RequestResult r = ops.failover(who, force, reason, dryRun);
        if (!dryRun) {
            audit(who, force ? "forced failover" : "failover", reason, r);
        }
        return r;
    }

    /**
     * Break-glass, several managers: a failover without coordination (ZooKeeper lost, say), on this manager's own
     * verdict. The caller checks that an admin asked, with a reason. Refused while another manager visibly leads the
     * cluster, while this one leads it, or while an operation is unfinished in the shared journal. Audited.
     */
    public RequestResult failoverWithoutCoordination(Actor who, boolean force, String reason, boolean dryRun) {
        RequestResult r = ops.failover(who, force, reason, dryRun, true);
        if (!dryRun) {
            audit(who, "failover without coordination" + (force ? " (forced)" : ""), reason, r);
        }
        return r;
    }

    /** Another manager this one can see leading the cluster now (connected to ZooKeeper), or null. */
    public static String visibleOtherLeader(dev.warden.decision.Leadership l, String self) {
        return l.problem() == null && l.leader() != null && !l.leader().equals(self) ? l.leader() : null;
    }

    private void audit(Actor who, String action, String target, RequestResult r) {
        String outcome = r instanceof RequestResult.Ran ran ? ran.operation().outcome().name()
                .toLowerCase(java.util.Locale.ROOT) : r instanceof RequestResult.Busy ? "busy" : "refused";
        String detail = r instanceof RequestResult.Ran ran ? ran.operation().id() + ": " + ran.operation().summary()
                : r instanceof RequestResult.Refused ref ? String.join("; ", ref.reasons())
                : r instanceof RequestResult.Busy b ? b.reason() : null;
        audit(who, action, target, detail, outcome);
    }

    // ---- what operations need from the cluster ------------------------------------------------------

    private final class Hooks implements ClusterOperations.Cluster {
        @Override
        public String name() {
            return config.name();
        }

        @Override
        public ClusterView freshView() {
            return view(observe(latest, true).topology);
        }

        @Override
        public void fenceObligation(Operation op) {
            String problem = op.epoch() == Operation.WITHOUT_COORDINATION ? store.lockProblem().orElse(null)
                    : managerProblem();
            if (problem != null) {
                throw new StoreException(problem);
            }
            InstanceKey old = op.plan().oldPrimary();
            store.controls().fenceObligation(name(), old, op.id(), clock.instant());
            controls.updateAndGet(c -> {
                Set<InstanceKey> f = new java.util.HashSet<>(c.fenced());
                f.add(old);
                return c.withFenced(f);
            });
            log.info("Cluster {}: {} must stay fenced from now on (kept in the store before the promotion).", name(), old);
        }

        @Override
        public void notPromoted(Operation op) {
            InstanceKey old = op.plan().oldPrimary();
            try {
                store.controls().dropObligation(name(), old, op.id());
                Set<InstanceKey> now = store.controls().fenced(name());
                if (controls.get().fenced().contains(old) && !now.contains(old)) {
                    log.info("Cluster {}: {} did not promote anyone: {} no longer needs to be kept fenced.", name(),
                            op.id(), old);
                }
                controls.updateAndGet(c -> c.withFenced(now));
            } catch (StoreException e) {
                log.error("Cluster {}: {}", name(), e.getMessage());
            }
        }

        @Override
        public String managerProblem() {
            if (policy.observe()) {
                return policy.observeOnly();
            }
            return store.lockProblem().orElse(notTakenUp());
        }

        @Override
        public String withoutCoordinationRefusal() {
            if (policy.observe()) {
                return policy.observeOnly();
            }
            if (!seat.peers().coordinated()) {
                return "this manager runs alone: there is no coordination to do without; use warden failover";
            }
            String lock = store.lockProblem().orElse(null);
            if (lock != null) {
                return lock;
            }
            dev.warden.decision.Leadership l = seat.leadership();
            if (l.leads()) {
                return "this manager leads cluster " + name() + " (epoch " + l.epoch() + "): use warden failover "
                        + "without --without-coordination";
            }
            String other = visibleOtherLeader(l, seat.peers().self());
            if (other != null) {
                return other + " leads cluster " + name() + " (epoch " + l.epoch() + ") and ZooKeeper is reachable "
                        + "from here: a failover without coordination is refused while another manager leads; send "
                        + "the failover to " + other;
            }
            try {
                List<Operation> open = store.operations().unfinished(name());
                if (!open.isEmpty()) {
                    return "operation " + open.get(0).id() + " (" + open.get(0).plan().summary() + ") is unfinished "
                            + "in the shared journal: another manager may still be running it; nothing was changed";
                }
                controls.set(store.controls().load(name(), clock.instant()));
            } catch (StoreException e) {
                return "the shared store cannot be read (" + e.getMessage() + "): a failover without coordination "
                        + "needs it to know what the other managers did";
            }
            return null;
        }

        @Override
        public long epoch() {
            dev.warden.decision.Leadership l = seat.leadership();
            return l.leads() && l.epoch() == ledEpoch ? l.epoch() : 0;
        }

        @Override
        public void promoted(FailoverRecord record) {
            Instant until = record.at().plus(policy.antiFlap());
            controls.updateAndGet(c -> c.afterFailover(record, until));
            try {
                store.controls().failedOver(name(), record, until, clock.instant());
            } catch (StoreException e) {
                log.error("Cluster {}: the anti-flap block and the fencing of {} hold in memory only: {}", name(),
                        record.oldPrimary(), e.getMessage());
            }
            primaryMoved();
            log.info("Cluster {}: {} is the new primary; {} stays fenced; no automatic failover before {} unless "
                    + "acknowledged.", name(), record.newPrimary(), record.oldPrimary(), until);
        }

        @Override
        public void primaryMoved() {
            synchronized (ClusterMonitor.this) {
                heartbeats = HeartbeatLog.empty(0);
            }
        }

        @Override
        public void interrupted(Operation op) {
            update(c -> c.withInterruption(dev.warden.store.ControlStore.interruption(op)));
        }

        @Override
        public void wakeup() {
            wakeup.run();
        }
    }

    /** Gives replicas the heartbeat period Warden needs to judge their silence (see {@link HeartbeatTuning}). */
    private void tuneHeartbeats(ClusterView view, List<Finding> findings, Instant now) {
        HeartbeatTuning.plan(view, findings, heartbeatTried, now).ifPresent(p -> {
            p.steps().forEach(s -> heartbeatTried.put(s.server(), now));
            ops.aftercare(List.of(p));
        });
    }

    /**
     * Fences old primaries that answer writable again and re-attaches what may rejoin. While a cut-short operation waits for evidence ({@code resuming}) only its re-fences
     * run: an old primary that must stay fenced is fenced again the moment it answers writable, and nothing else is
     * decided until the wait ends.
     */
    private void aftercare(ClusterView view, Instant now, boolean resuming) {
        Aftercare care = Aftercare.of(view, now);
        if (resuming) {
            ops.aftercare(care.plans().stream().filter(p -> p.kind() == PlanKind.REFENCE).toList());
            return;
        }
        for (InstanceKey settled : care.settled()) {
            controls.updateAndGet(c -> c.unfenced(settled));
            try {
                store.controls().unfenced(name(), settled);
            } catch (StoreException e) {
                log.error("Cluster {}: {}", name(), e.getMessage());
            }
            log.info("Cluster {}: old primary {} replicates from the new primary; no longer fenced.", name(), settled);
        }
        ops.aftercare(care.plans());
    }

    /**
     * HAProxy is brought in step off the cluster's thread (a stalled HAProxy must not slow detection), one sync at a
     * time, and not with a topology older than the last routing of writers (a switchover's).
     */
    private void syncProxy(Topology t, long routing) {
        if (!proxySyncing.compareAndSet(false, true)) {
            return;
        }
        try {
            proxySync.execute(() -> {
                try {
                    haproxy.sync(t, routing);
                } finally {
                    proxySyncing.set(false);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            proxySyncing.set(false);
        }
    }

    /** Wires the key-value stores the primary is published to (once, before the first cycle). */
    void publishTo(dev.warden.kv.KvPublisher stores) {
        this.kv = stores;
    }

    /**
     * The key-value stores are checked off the cluster's thread (a store that does not answer must not slow
     * detection), one check at a time: each one that names another server than the writable primary is rewritten,
     * unless a failover or switchover published since the topology was observed.
     */
    private void syncKv(dev.warden.kv.KvPublisher stores, Topology t, long publishing) {
        Optional<TopologyNode> primary = t.heartbeatTarget().filter(n -> !controls.get().fenced().contains(n.key()));
        if (primary.isEmpty()) {
            lastKv = List.of();
            return;
        }
        if (!kvSyncing.compareAndSet(false, true)) {
            return;
        }
        long epoch = Math.max(0, ledEpoch);
        try {
            kvSync.execute(() -> {
                try {
                    List<dev.warden.decision.KvCheck> checks = stores.check(name(), primary.get().key(), epoch,
                            publishing, () -> {
                                // Right before each write: a manager deposed meanwhile writes nothing.
                                try {
                                    seat.prove(epoch);
                                } catch (Coordination.NotLeading e) {
                                    throw new IllegalStateException("not written: " + e.getMessage(), e);
                                }
                            });
                    if (checks != null) {
                        lastKv = List.copyOf(checks);
                    }
                } catch (RuntimeException e) {
                    log.warn("Cluster {}: checking the key-value stores failed: {}", name(), e.toString());
                } finally {
                    kvSyncing.set(false);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            kvSyncing.set(false);
        }
    }

    @Override
    public void close() {
        runner.shutDownPrepared();
        proxySync.shutdownNow();
        kvSync.shutdownNow();
        watch.close();
        prober.close();
    }
}
