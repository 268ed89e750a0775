package dev.warden.engine;

import dev.warden.actions.OperationLog;
import dev.warden.actions.PlanRunner;
import dev.warden.actions.StepExecutor;
import dev.warden.config.ClusterConfig;
import dev.warden.config.WardenConfig;
import dev.warden.probe.ClusterProber;
import dev.warden.probe.ConnectionFactory;
import dev.warden.probe.PrimaryWatch;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's loop: one thread per cluster runs a cycle every {@code probe.interval}, every
 * {@code probe.suspect_interval} while the primary looks gone, and at once when the primary watch sees it die.
 * Probes and re-points run on a shared pool. Lifecycle moves by compare-and-set: NEW, RUNNING, STOPPED.
 */
public final class Monitor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Monitor.class);

    public enum State { NEW, RUNNING, STOPPED }

    private final WardenConfig config;
    private final Map<String, ClusterMonitor> clusters = new LinkedHashMap<>();
    private final Map<String, Semaphore> wakeups = new LinkedHashMap<>();
    private final ExecutorService pool;
    /** Publishes primaries to the key-value stores; null when none are configured. */
    private final dev.warden.kv.KvPublisher kv;
    private final OperationLog operations;
    private final dev.warden.coordination.Coordination coordination;
    private final dev.warden.store.Store store;
    private final Clock clock;
    private final List<Thread> loops = new ArrayList<>();
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private final List<MonitorListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final MonitorListener fanOut = new MonitorListener() {
        @Override
        public void cycled(ClusterMonitor cluster, ClusterMonitor.Cycle cycle) {
            for (MonitorListener l : listeners) {
                try {
                    l.cycled(cluster, cycle);
                } catch (RuntimeException e) {
                    log.warn("A listener failed on a cycle of {}: {}", cluster.name(), e.toString());
                }
            }
        }

        @Override
        public void operationChanged(dev.warden.actions.Operation op) {
            for (MonitorListener l : listeners) {
                try {
                    l.operationChanged(op);
                } catch (RuntimeException e) {
                    log.warn("A listener failed on {}: {}", op.id(), e.toString());
                }
            }
        }
    };

    /** @param store open; the caller closes it after this monitor */
    public Monitor(WardenConfig config, Clock clock, String writerName, dev.warden.store.Store store) {
        this(config, clock, writerName, store, dev.warden.coordination.Coordination.ALONE);
    }

    /**
     * @param store        open; the caller closes it after this monitor
     * @param coordination with the other managers ({@code Coordination.ALONE} alone); the caller closes it after
     *                     this monitor
     */
    public Monitor(WardenConfig config, Clock clock, String writerName, dev.warden.store.Store store,
                   dev.warden.coordination.Coordination coordination) {
        this.coordination = coordination;
        this.config = config;
        this.store = store;
        this.clock = clock;
        this.operations = new OperationLog(store.operations());
        this.pool = Executors.newCachedThreadPool(daemonThreads("probe"));
        dev.warden.hooks.HookRunner hooks = new dev.warden.hooks.HookRunner(config.hooks(), pool);
        ClusterMonitor.Events events = payload -> pool.submit(() -> hooks.run(payload));
        this.kv = config.kv() == null ? null : dev.warden.kv.KvPublisher.of(config.kv());
        for (ClusterConfig c : config.clusters()) {
            ConnectionFactory factory = new ConnectionFactory(c.credentials(), config.probe().connectTimeout());
            ClusterProber prober = new ClusterProber(factory, pool, clock, config.probe().readTimeout(),
                    config.probe().writeTimeout(), writerName, config.coordinated(),
                    config.coordinated() ? c.name() : null);
            dev.warden.proxy.HaproxySync haproxy = config.haproxy(c.name()).map(h -> new dev.warden.proxy.HaproxySync(h,
                    (event, change) -> events.fire(new dev.warden.hooks.HookPayload(event, c.name(), null, null, null,
                            null, null, change.server(), change.reason(), clock.instant())))).orElse(null);
            java.util.Set<dev.warden.model.HookEvent> hooked = new java.util.HashSet<>();
            for (dev.warden.model.HookEvent e : dev.warden.model.HookEvent.values()) {
                if (hooks.any(e, c.name())) {
                    hooked.add(e);
                }
            }
            AtomicReference<ClusterMonitor> self = new AtomicReference<>();
            StepExecutor executor = new StepExecutor(factory, c.credentials(), config.replication(), hooks, haproxy,
                    () -> self.get() == null ? null : self.get().latest().map(ClusterMonitor.Cycle::topology).orElse(null),
                    pool, config.coordinated()
                            ? new StepExecutor.TermWriter(c.name(), config.coordination().manager()) : null, kv);
            dev.warden.coordination.Coordination.Seat seat = coordination.seat(c.name());
            PlanRunner runner = new PlanRunner(executor, pool, clock, op -> {
                if (config.failover().observe()) {
                    // Observe mode changes nothing, whatever asked: no step of any operation runs.
                    throw new dev.warden.actions.StepGuard.Refused(config.failover().observeOnly());
                }
                if (op.epoch() == dev.warden.actions.Operation.WITHOUT_COORDINATION) {
                    String other = ClusterMonitor.visibleOtherLeader(seat.leadership(), coordination.self());
                    if (other != null) {
                        throw new dev.warden.actions.StepGuard.Refused(other + " leads cluster " + c.name()
                                + " now: the failover without coordination runs no further step");
                    }
                    return;
                }
                try {
                    seat.prove(op.epoch());
                } catch (dev.warden.coordination.Coordination.NotLeading e) {
                    throw new dev.warden.actions.StepGuard.Refused(e.getMessage());
                }
            });
            Semaphore wake = new Semaphore(0);
            Runnable wakeup = wake::release;
            PrimaryWatch watch = new PrimaryWatch(c.name(), factory, config.probe().watchPrimary() ? wakeup : () -> { });
            wakeups.put(c.name(), wake);
            ClusterMonitor m = new ClusterMonitor(c, config.probe(), config.failover(), config.switchover(), prober,
                    runner, operations, clock, watch, wakeup, events, haproxy,
                    new dev.warden.decision.Integrations(hooked, haproxy != null,
                            config.replication().enforceHeartbeatPeriod() ? config.replication().heartbeatPeriod() : null,
                            kv == null ? null : new dev.warden.decision.Integrations.Kv(
                                    config.kv().mode() == dev.warden.config.KvSettings.Mode.GATE, kv.stepTimeout())),
                    store, fanOut, seat);
            m.publishTo(kv);
            m.logSummariesEvery(config.logging().summaryInterval());
            self.set(m);
            clusters.put(c.name(), m);
        }
    }

    public List<ClusterMonitor> clusters() {
        return List.copyOf(clusters.values());
    }

    public Optional<ClusterMonitor> cluster(String name) {
        return Optional.ofNullable(clusters.get(name));
    }

    public OperationLog operations() {
        return operations;
    }

    /** Follows every cycle and operation change (the console stream, metrics). */
    public void listen(MonitorListener listener) {
        listeners.add(listener);
    }

    public WardenConfig config() {
        return config;
    }

    public dev.warden.coordination.Coordination coordination() {
        return coordination;
    }

    /** How old another manager's observation may be and still count (a few of its cycles). */
    public static java.time.Duration observationFreshness(dev.warden.config.ProbeSettings probe) {
        return probe.interval().multipliedBy(2).plusMillis(500);
    }

    public dev.warden.store.Store store() {
        return store;
    }

    public State state() {
        return state.get();
    }

    public void start() {
        if (!state.compareAndSet(State.NEW, State.RUNNING)) {
            throw new IllegalStateException("monitor is " + state.get());
        }
        for (ClusterMonitor c : clusters.values()) {
            Thread t = daemonThreads("cluster-" + c.name()).newThread(() -> loop(c, wakeups.get(c.name())));
            loops.add(t);
            t.start();
        }
        Thread housekeeping = daemonThreads("store-retention").newThread(this::prune);
        loops.add(housekeeping);
        housekeeping.start();
        log.info("Watching {} cluster(s) every {} ms ({} ms while a primary looks gone).", clusters.size(),
                config.probe().interval().toMillis(), config.probe().suspectInterval().toMillis());
    }

    private void loop(ClusterMonitor c, Semaphore wake) {
        while (state.get() == State.RUNNING) {
            long started = System.nanoTime();
            Duration pause = config.probe().interval();
            try {
                ClusterMonitor.Cycle cycle = c.cycle();
                if (cycle.suspicious()) {
                    pause = config.probe().suspectInterval();
                }
            } catch (RuntimeException e) {
                log.error("Cluster {}: cycle failed: {}", c.name(), e.toString(), e);
            }
            long wait = pause.toNanos() - (System.nanoTime() - started);
            try {
                // A wake-up during the cycle (the watch saw the primary die) starts the next one at once.
                if (wait <= 0 || wake.tryAcquire(wait, TimeUnit.NANOSECONDS)) {
                    wake.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Deletes history older than {@code store.retention}: at start, then hourly. */
    private void prune() {
        while (state.get() == State.RUNNING) {
            try {
                int n = store.prune(clock.instant());
                if (n > 0) {
                    log.info("Store: deleted {} history row(s) older than {} days.", n,
                            store.settings().retention().toDays());
                }
            } catch (RuntimeException e) {
                log.error("Store: pruning old history failed: {}", e.toString());
            }
            try {
                Thread.sleep(Duration.ofHours(1).toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * Waits until no operation runs on any cluster, or the timeout passes: with several managers, leadership is
     * handed over (the coordination closed) only after this, so a successor never starts while a step still runs.
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        return awaitEvery(c -> c.running().isEmpty(), timeout);
    }

    /** Waits until every cluster has completed at least one cycle, or the timeout passes. */
    public boolean awaitFirstCycle(Duration timeout) throws InterruptedException {
        return awaitEvery(c -> c.latest().isPresent(), timeout);
    }

    private boolean awaitEvery(java.util.function.Predicate<ClusterMonitor> done, Duration timeout)
            throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (clusters.values().stream().allMatch(done)) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    @Override
    public void close() {
        if (state.getAndSet(State.STOPPED) == State.STOPPED) {
            return;
        }
        loops.forEach(Thread::interrupt);
        for (Thread t : loops) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        clusters.values().forEach(ClusterMonitor::close);
        if (kv != null) {
            kv.close();
        }
        pool.shutdownNow();
        log.info("Stopped watching.");
    }

    static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
