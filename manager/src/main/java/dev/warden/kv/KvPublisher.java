package dev.warden.kv;

import dev.warden.config.KvSettings;
import dev.warden.decision.KvCheck;
import dev.warden.model.InstanceKey;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes clusters' primaries to every configured store: as a step of failovers and switchovers, and each cycle,
 * where a store that names another server is rewritten (a compare-and-set on the epoch: a store written by a newer
 * leadership is left alone). Per cluster, one write at a time: a cycle's check never interleaves with an operation's
 * publish, and is skipped when one ran since its view was taken. Every store answers within a hard deadline (twice
 * the timeout), asked in parallel.
 */
public final class KvPublisher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KvPublisher.class);

    private final KvSettings settings;
    private final KvLayout layout;
    private final List<KvStore> stores;
    private final Map<String, AtomicLong> publishings = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    /** The last problem logged per store and cluster, so a lasting one is logged once. */
    private final Map<String, String> logged = new ConcurrentHashMap<>();
    private final ExecutorService calls = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "kv-store");
        t.setDaemon(true);
        return t;
    });

    /** A store call that may throw. */
    private interface Call<T> {
        T run(KvStore s) throws IOException;
    }

    public KvPublisher(KvSettings settings, List<KvStore> stores) {
        this.settings = settings;
        this.layout = new KvLayout(settings.prefix());
        this.stores = List.copyOf(stores);
    }

    /** Connects to the stores {@code settings} name (ZooKeeper connects in the background). */
    public static KvPublisher of(KvSettings settings) {
        KvLayout layout = new KvLayout(settings.prefix());
        List<KvStore> stores = new ArrayList<>();
        if (settings.zookeeper() != null) {
            stores.add(new ZkKvStore(settings.zookeeper(), layout, settings.timeout()));
        }
        if (!settings.etcd().isEmpty()) {
            stores.add(new EtcdKvStore(settings.etcd(), layout, settings.timeout(), settings.etcdUser(),
                    settings.etcdPassword()));
        }
        return new KvPublisher(settings, stores);
    }

    public KvSettings settings() {
        return settings;
    }

    public KvLayout layout() {
        return layout;
    }

    /** The hard deadline of one store's read or write. */
    Duration deadline() {
        return settings.timeout().multipliedBy(2);
    }

    /** How long a publish step may take: the stores are asked in parallel, each within its deadline. */
    public Duration stepTimeout() {
        return deadline().plusMillis(500);
    }

    /** How many publishes ran for {@code cluster}; a check reads it before the cycle observes. */
    public long publishings(String cluster) {
        return counter(cluster).get();
    }

    private AtomicLong counter(String cluster) {
        return publishings.computeIfAbsent(cluster, c -> new AtomicLong());
    }

    private Object lock(String cluster) {
        return locks.computeIfAbsent(cluster, c -> new Object());
    }

    /**
     * Writes {@code primary} into every store. A store that holds a newer epoch refuses, and then nothing more is
     * written (this manager was deposed). {@code override}: a failover forced without coordination, written whatever
     * epoch the stores hold. Returns what was written.
     *
     * @throws IOException naming the stores not written and why, and those that were
     */
    public String publish(String cluster, InstanceKey primary, long epoch, boolean override) throws IOException {
        synchronized (lock(cluster)) {
            counter(cluster).incrementAndGet();
            if (!override) {
                // Any store that holds a newer epoch means a newer leader published: none is written, so the
                // stores never name different servers because of this manager.
                for (Map.Entry<KvStore, Object> r : all(stores, s -> s.read(cluster)).entrySet()) {
                    if (r.getValue() instanceof KvStore.Reading held && held.epoch() > epoch) {
                        throw new KvStore.StaleEpoch(r.getKey().name() + " holds epoch " + held.epoch() + " for "
                                + layout.primaryKey(cluster) + ", newer than this manager's " + epoch
                                + ": a newer leader published; no store written");
                    }
                }
            }
            List<String> done = new ArrayList<>();
            List<String> failed = new ArrayList<>();
            List<KvStore> order = new ArrayList<>(stores);
            for (Map.Entry<KvStore, Object> r : all(order, s -> {
                if (override) {
                    s.publishOverridingEpoch(cluster, primary);
                } else {
                    s.publish(cluster, primary, epoch);
                }
                return Boolean.TRUE;
            }).entrySet()) {
                if (r.getValue() instanceof IOException e) {
                    failed.add(e.getMessage());
                } else {
                    done.add(r.getKey().name());
                }
            }
            String what = layout.primaryKey(cluster) + " = " + primary + " (epoch " + (override ? "kept" : epoch) + ")";
            if (!failed.isEmpty()) {
                throw new IOException(String.join("; ", failed) + (done.isEmpty() ? "" : "; written in "
                        + String.join(", ", done)) + " [" + what + "]");
            }
            return what + " in " + String.join(", ", done);
        }
    }

    /**
     * Reads every store and rewrites those that name another server than {@code primary} (or hold an older epoch
     * than this leadership's, which is stamped), unless a publish ran since {@code publishingsBefore} was read (the
     * primary was observed before it moved). {@code prove} runs right before each write and throws when this manager
     * may no longer act. Null when skipped.
     */
    public List<KvCheck> check(String cluster, InstanceKey primary, long epoch, long publishingsBefore,
                               Runnable prove) {
        synchronized (lock(cluster)) {
            if (counter(cluster).get() != publishingsBefore) {
                return null;
            }
            String key = layout.primaryKey(cluster);
            List<KvCheck> out = new ArrayList<>();
            Map<KvStore, Object> readings = all(stores, s -> s.read(cluster));
            for (KvStore s : stores) {
                Object got = readings.get(s);
                KvCheck c;
                if (got instanceof IOException e) {
                    c = new KvCheck(s.name(), key, primary.toString(), null, false, e.getMessage());
                } else {
                    c = repair(s, cluster, primary, epoch, (KvStore.Reading) got, prove);
                }
                note(s, cluster, key, primary, c);
                out.add(c);
            }
            return out;
        }
    }

    private KvCheck repair(KvStore s, String cluster, InstanceKey primary, long epoch, KvStore.Reading r,
                           Runnable prove) {
        String key = layout.primaryKey(cluster);
        boolean right = r.names(primary);
        if (right && r.epoch() >= epoch) {
            return new KvCheck(s.name(), key, primary.toString(), r.primary(), false, null);
        }
        if (r.epoch() > epoch) {
            return new KvCheck(s.name(), key, primary.toString(), r.primary(), false, "written under epoch "
                    + r.epoch() + ", newer than this manager's " + epoch + ": left as it is (a newer leader wrote it)");
        }
        try {
            prove.run();
            one(s, x -> {
                x.publish(cluster, primary, epoch);
                return Boolean.TRUE;
            });
        } catch (IOException | RuntimeException e) {
            return new KvCheck(s.name(), key, primary.toString(), r.primary(), false, e.getMessage());
        }
        if (right) {
            log.info("{} {} names {}: stamped with this leadership's epoch {} (it held {}).", s.name(), key, primary,
                    epoch, r.epoch());
            return new KvCheck(s.name(), key, primary.toString(), r.primary(), false, null);
        }
        if (r.primary() == null) {
            // Nothing published yet (a first start, or the key was removed): written, nothing was wrong.
            log.info("{} {} held nothing: {} published (epoch {}).", s.name(), key, primary, epoch);
            return new KvCheck(s.name(), key, primary.toString(), null, false, null);
        }
        log.warn("{} {} held {} (hostname {}, port {}), not the primary {}: rewritten (epoch {}).", s.name(), key,
                r.primary(), r.hostname(), r.port(), primary, epoch);
        return new KvCheck(s.name(), key, primary.toString(), r.primary(), true, null);
    }

    private void note(KvStore s, String cluster, String key, InstanceKey primary, KvCheck c) {
        String was = logged.get(s.name() + "|" + cluster);
        if (c.problem() != null && !c.problem().equals(was)) {
            log.warn("{} for cluster {}: {}", s.name(), cluster, c.problem());
            logged.put(s.name() + "|" + cluster, c.problem());
        } else if (c.problem() == null && was != null) {
            log.info("{} for cluster {} is right again: {} = {}.", s.name(), cluster, key, primary);
            logged.remove(s.name() + "|" + cluster);
        }
    }

    /** {@code call} on every store at once; each value is its result or the IOException it ended with. */
    private <T> Map<KvStore, Object> all(List<KvStore> on, Call<T> call) {
        Map<KvStore, CompletableFuture<T>> running = new java.util.LinkedHashMap<>();
        for (KvStore s : on) {
            running.put(s, submit(s, call));
        }
        Map<KvStore, Object> out = new java.util.LinkedHashMap<>();
        long end = System.nanoTime() + deadline().toNanos();
        for (Map.Entry<KvStore, CompletableFuture<T>> e : running.entrySet()) {
            try {
                out.put(e.getKey(), await(e.getKey(), e.getValue(), end));
            } catch (IOException ex) {
                out.put(e.getKey(), ex);
            }
        }
        return out;
    }

    private <T> T one(KvStore s, Call<T> call) throws IOException {
        return await(s, submit(s, call), System.nanoTime() + deadline().toNanos());
    }

    private <T> CompletableFuture<T> submit(KvStore s, Call<T> call) {
        CompletableFuture<T> f = new CompletableFuture<>();
        try {
            calls.execute(() -> {
                try {
                    f.complete(call.run(s));
                } catch (IOException | RuntimeException e) {
                    f.completeExceptionally(e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            f.completeExceptionally(new IOException(s.name() + ": the publisher is closed"));
        }
        return f;
    }

    private <T> T await(KvStore s, CompletableFuture<T> f, long end) throws IOException {
        try {
            return f.get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new IOException(s.name() + ": no answer within " + deadline().toMillis() + " ms");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            throw new IOException(s.name() + ": " + c, c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(s.name() + ": interrupted", e);
        }
    }

    @Override
    public void close() {
        calls.shutdownNow();
        stores.forEach(KvStore::close);
    }
}
