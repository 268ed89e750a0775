package dev.warden.probe;

import dev.warden.model.ClusterSnapshot;
import dev.warden.model.HeartbeatWrite;
import dev.warden.model.InstanceKey;
import dev.warden.model.InstanceSnapshot;
import dev.warden.model.Reachability;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Probes every server of one cluster concurrently, each on its own thread with its own deadline, so a hung
 * server never holds up the others. A server whose previous probe is still stuck is not probed again
 * (that would pile up threads); it is reported as timed out.
 *
 * <p>When a heartbeat target is given, its write probe runs first and the other probes wait for it at most
 * {@link #HEARTBEAT_SETTLE}, so replicas are read right after the write and lag is measured to the
 * millisecond, while a hung primary delays them by no more than that.
 */
public final class ClusterProber implements AutoCloseable {

    public static final Duration HEARTBEAT_SETTLE = Duration.ofMillis(100);
    private static final Duration SLACK = Duration.ofMillis(50);

    private final ConnectionFactory factory;
    private final ExecutorService executor;
    private final ServerProber prober;
    private final HeartbeatWriter writer;
    private final Clock clock;
    private final Duration readTimeout;
    private final Duration writeTimeout;
    private final Map<InstanceKey, ProbeConnection> connections = new ConcurrentHashMap<>();
    private final Map<InstanceKey, InFlight> inFlight = new ConcurrentHashMap<>();

    private record InFlight(Future<InstanceSnapshot> future, long startedNanos) {
    }

    public ClusterProber(ConnectionFactory factory, ExecutorService executor, Clock clock, Duration readTimeout,
                         Duration writeTimeout, String writerName) {
        this(factory, executor, clock, readTimeout, writeTimeout, writerName, false);
    }

    public ClusterProber(ConnectionFactory factory, ExecutorService executor, Clock clock, Duration readTimeout,
                         Duration writeTimeout, String writerName, boolean guardedHeartbeat) {
        this(factory, executor, clock, readTimeout, writeTimeout, writerName, guardedHeartbeat, null);
    }

    /**
     * @param guardedHeartbeat several managers: the heartbeat write does nothing on a read-only server
     * @param termOf           several managers: the cluster whose {@code warden.term} row each probe reads (else null)
     */
    public ClusterProber(ConnectionFactory factory, ExecutorService executor, Clock clock, Duration readTimeout,
                         Duration writeTimeout, String writerName, boolean guardedHeartbeat, String termOf) {
        this.factory = factory;
        this.executor = executor;
        this.clock = clock;
        this.readTimeout = readTimeout;
        this.writeTimeout = writeTimeout;
        this.prober = new ServerProber(clock, termOf);
        this.writer = new HeartbeatWriter(clock, writerName, guardedHeartbeat);
    }

    /** A heartbeat write to make before probing: the server believed to be the primary, and its server_id. */
    public record HeartbeatTarget(InstanceKey key, long serverId) {
    }

    public ClusterSnapshot probe(String cluster, Collection<InstanceKey> keys, HeartbeatTarget heartbeat) {
        return probe(cluster, keys, heartbeat, readTimeout);
    }

    /**
     * Probes with another read timeout than configured: one-shot commands and the daemon's first cycle run in a
     * cold JVM, where the first TLS handshake alone can take longer than the configured timeout.
     */
    public ClusterSnapshot probe(String cluster, Collection<InstanceKey> keys, HeartbeatTarget heartbeat,
                                 Duration readTimeout) {
        Instant takenAt = clock.instant();
        long cycleStart = System.nanoTime();

        CompletableFuture<HeartbeatWrite> write = null;
        if (heartbeat != null && keys.contains(heartbeat.key()) && idle(heartbeat.key())) {
            ProbeConnection pc = connection(heartbeat.key());
            write = CompletableFuture.supplyAsync(() -> writer.write(pc, heartbeat.serverId(), writeTimeout), executor);
        }
        final Instant writeSent = clock.instant();
        final CompletableFuture<HeartbeatWrite> pendingWrite = write;

        Map<InstanceKey, Future<InstanceSnapshot>> futures = new LinkedHashMap<>();
        Map<InstanceKey, InstanceSnapshot> results = new LinkedHashMap<>();
        for (InstanceKey key : keys) {
            if (!idle(key)) {
                long waitedMs = (System.nanoTime() - inFlight.get(key).startedNanos()) / 1_000_000;
                results.put(key, InstanceSnapshot.unreachable(key, takenAt, Duration.ZERO, Reachability.TIMEOUT,
                        InstanceSnapshot.AWAITING_PREVIOUS + " after " + waitedMs + " ms"));
                continue;
            }
            ProbeConnection pc = connection(key);
            boolean isWriteTarget = pendingWrite != null && heartbeat.key().equals(key);
            Future<InstanceSnapshot> f = executor.submit(() -> {
                HeartbeatWrite w = null;
                if (pendingWrite != null) {
                    w = awaitWrite(pendingWrite, isWriteTarget ? writeTimeout.plus(SLACK) : HEARTBEAT_SETTLE);
                    if (isWriteTarget && w == null) {
                        // The write outlived its bound (its driver has not given up yet): it is stuck. Its connection
                        // is abandoned so this probe does not share it; the server session is ended or kept as
                        // still running when the probe connects again.
                        pc.invalidate();
                        w = HeartbeatWrite.failed(HeartbeatWrite.Outcome.TIMED_OUT, heartbeat.serverId(), writeSent,
                                "no answer to the heartbeat write within " + writeTimeout.plus(SLACK).toMillis()
                                        + " ms; its connection abandoned");
                    }
                }
                InstanceSnapshot s = prober.probe(pc, readTimeout);
                return isWriteTarget && w != null ? s.withHeartbeatWrite(w) : s;
            });
            inFlight.put(key, new InFlight(f, System.nanoTime()));
            futures.put(key, f);
        }

        Duration waitBound = (pendingWrite == null ? Duration.ZERO : writeTimeout).plus(readTimeout).plus(SLACK);
        long cycleEnd = cycleStart + waitBound.toNanos();
        for (Map.Entry<InstanceKey, Future<InstanceSnapshot>> e : futures.entrySet()) {
            results.put(e.getKey(), await(e.getKey(), e.getValue(), cycleEnd, takenAt, cycleStart));
        }

        List<InstanceSnapshot> ordered = new ArrayList<>();
        for (InstanceKey key : keys) {
            ordered.add(results.get(key));
        }
        return ClusterSnapshot.of(cluster, takenAt, ordered);
    }

    private InstanceSnapshot await(InstanceKey key, Future<InstanceSnapshot> f, long cycleEnd, Instant takenAt,
                                   long cycleStart) {
        try {
            long wait = Math.max(0, cycleEnd - System.nanoTime());
            return f.get(wait, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            Duration waited = Duration.ofNanos(System.nanoTime() - cycleStart);
            return InstanceSnapshot.unreachable(key, takenAt, waited, Reachability.TIMEOUT,
                    "no answer within " + waited.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return InstanceSnapshot.unreachable(key, takenAt, Duration.ZERO, Reachability.UNKNOWN,
                    "probe interrupted");
        } catch (ExecutionException e) {
            return InstanceSnapshot.unreachable(key, takenAt, Duration.ofNanos(System.nanoTime() - cycleStart),
                    Reachability.UNKNOWN, "probe failed: " + e.getCause());
        }
    }

    private static HeartbeatWrite awaitWrite(CompletableFuture<HeartbeatWrite> write, Duration max) {
        try {
            return write.get(max.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException e) {
            return null;
        }
    }

    private boolean idle(InstanceKey key) {
        InFlight previous = inFlight.get(key);
        return previous == null || previous.future().isDone();
    }

    private ProbeConnection connection(InstanceKey key) {
        return connections.computeIfAbsent(key, k -> new ProbeConnection(k, factory));
    }

    /** Closes connections to servers no longer watched. */
    public void retainOnly(Collection<InstanceKey> keys) {
        connections.keySet().removeIf(k -> {
            if (!keys.contains(k)) {
                ProbeConnection pc = connections.get(k);
                if (pc != null) {
                    pc.close();
                }
                inFlight.remove(k);
                return true;
            }
            return false;
        });
    }

    @Override
    public void close() {
        connections.values().forEach(ProbeConnection::close);
        connections.clear();
    }
}
