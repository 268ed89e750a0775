package dev.warden.engine;

import dev.warden.config.ClusterConfig;
import dev.warden.config.WardenConfig;
import dev.warden.probe.ClusterProber;
import dev.warden.probe.ConnectionFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's loop: one thread per cluster runs a cycle every {@code probe.interval}; probes run on a shared
 * pool. Lifecycle moves by compare-and-set: NEW, RUNNING, STOPPED.
 */
public final class Monitor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Monitor.class);

    public enum State { NEW, RUNNING, STOPPED }

    private final WardenConfig config;
    private final List<ClusterMonitor> clusters = new ArrayList<>();
    private final ExecutorService probePool;
    private final List<Thread> loops = new ArrayList<>();
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);

    public Monitor(WardenConfig config, Clock clock, String writerName) {
        this.config = config;
        this.probePool = Executors.newCachedThreadPool(daemonThreads("probe"));
        for (ClusterConfig c : config.clusters()) {
            ClusterProber prober = new ClusterProber(
                    new ConnectionFactory(c.credentials(), config.probe().connectTimeout()), probePool, clock,
                    config.probe().readTimeout(), config.probe().writeTimeout(), writerName);
            clusters.add(new ClusterMonitor(c, config.probe(), prober));
        }
    }

    public List<ClusterMonitor> clusters() {
        return List.copyOf(clusters);
    }

    public Optional<ClusterMonitor> cluster(String name) {
        return clusters.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    public State state() {
        return state.get();
    }

    public void start() {
        if (!state.compareAndSet(State.NEW, State.RUNNING)) {
            throw new IllegalStateException("monitor is " + state.get());
        }
        for (ClusterMonitor c : clusters) {
            Thread t = daemonThreads("cluster-" + c.name()).newThread(() -> loop(c));
            loops.add(t);
            t.start();
        }
        log.info("Watching {} cluster(s) every {} ms.", clusters.size(), config.probe().interval().toMillis());
    }

    private void loop(ClusterMonitor c) {
        long interval = config.probe().interval().toNanos();
        long next = System.nanoTime();
        while (state.get() == State.RUNNING) {
            try {
                c.cycle();
            } catch (RuntimeException e) {
                log.error("Cluster {}: probe cycle failed: {}", c.name(), e.toString(), e);
            }
            next += interval;
            long wait = next - System.nanoTime();
            if (wait < 0) {
                next = System.nanoTime(); // overran: start the next cycle now, do not try to catch up
                continue;
            }
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Waits until every cluster has completed at least one cycle, or the timeout passes. */
    public boolean awaitFirstCycle(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (clusters.stream().allMatch(c -> c.latest().isPresent())) {
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
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        clusters.forEach(ClusterMonitor::close);
        probePool.shutdownNow();
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
