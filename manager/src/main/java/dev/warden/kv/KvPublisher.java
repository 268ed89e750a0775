package dev.warden.kv;

import dev.warden.config.KvSettings;
import dev.warden.decision.KvCheck;
import dev.warden.model.InstanceKey;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes clusters' primaries to every configured store: as a step of failovers and switchovers, and each cycle,
 * where a store that names another server is rewritten (a compare-and-set on the epoch: a store written by a newer
 * leadership is left alone).
 */
public final class KvPublisher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KvPublisher.class);

    private final KvSettings settings;
    private final KvLayout layout;
    private final List<KvStore> stores;
    private final AtomicLong publishings = new AtomicLong();
    /** The last problem logged per store and cluster, so a lasting one is logged once. */
    private final Map<String, String> logged = new ConcurrentHashMap<>();

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
            stores.add(new EtcdKvStore(settings.etcd(), layout, settings.timeout()));
        }
        return new KvPublisher(settings, stores);
    }

    public KvSettings settings() {
        return settings;
    }

    public KvLayout layout() {
        return layout;
    }

    /** How long a publish to every store may take. */
    public java.time.Duration stepTimeout() {
        return settings.timeout().multipliedBy(Math.max(1, stores.size())).plusMillis(500);
    }

    /** How many publishes ran; a check reads it before the cycle observes, and skips if one ran since. */
    public long publishings() {
        return publishings.get();
    }

    /**
     * Writes {@code primary} into every store. Returns what was written.
     *
     * @throws IOException naming the stores not written and why (the others were written)
     */
    public String publish(String cluster, InstanceKey primary, long epoch) throws IOException {
        publishings.incrementAndGet();
        List<String> done = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (KvStore s : stores) {
            try {
                s.publish(cluster, primary, epoch);
                done.add(s.name());
            } catch (IOException | RuntimeException e) {
                failed.add(e.getMessage());
            }
        }
        String what = layout.primaryKey(cluster) + " = " + primary + " (epoch " + epoch + ")";
        if (!failed.isEmpty()) {
            throw new IOException(String.join("; ", failed) + (done.isEmpty() ? "" : "; written in "
                    + String.join(", ", done)) + " [" + what + "]");
        }
        return what + " in " + String.join(", ", done);
    }

    /**
     * Reads every store and rewrites those that name another server than {@code primary}, unless a publish ran
     * since {@code publishingsBefore} was read (the primary was observed before it moved). Null when skipped.
     */
    public List<KvCheck> check(String cluster, InstanceKey primary, long epoch, long publishingsBefore) {
        if (publishings.get() != publishingsBefore) {
            return null;
        }
        String key = layout.primaryKey(cluster);
        List<KvCheck> out = new ArrayList<>();
        for (KvStore s : stores) {
            KvCheck c;
            KvStore.Reading r = null;
            try {
                r = s.read(cluster);
                if (primary.toString().equals(r.primary())) {
                    c = new KvCheck(s.name(), key, primary.toString(), r.primary(), false, null);
                } else if (r.epoch() > epoch) {
                    c = new KvCheck(s.name(), key, primary.toString(), r.primary(), false, "written under epoch "
                            + r.epoch() + ", newer than this manager's " + epoch + ": left as it is (a newer leader "
                            + "wrote it)");
                } else if (publishings.get() != publishingsBefore) {
                    return null;
                } else if (r.primary() == null) {
                    // Nothing published yet (a first start, or the key was removed): written, nothing was wrong.
                    s.publish(cluster, primary, epoch);
                    c = new KvCheck(s.name(), key, primary.toString(), null, false, null);
                    log.info("{} {} held nothing: {} published (epoch {}).", s.name(), key, primary, epoch);
                } else {
                    s.publish(cluster, primary, epoch);
                    c = new KvCheck(s.name(), key, primary.toString(), r.primary(), true, null);
                    log.warn("{} {} held {}, not the primary {}: rewritten (epoch {}).", s.name(), key, r.primary(),
                            primary, epoch);
                }
            } catch (IOException | RuntimeException e) {
                c = new KvCheck(s.name(), key, primary.toString(), r == null ? null : r.primary(), false,
                        e.getMessage());
            }
            String was = logged.get(s.name() + "|" + cluster);
            if (c.problem() != null && !c.problem().equals(was)) {
                log.warn("{} for cluster {}: {}", s.name(), cluster, c.problem());
                logged.put(s.name() + "|" + cluster, c.problem());
            } else if (c.problem() == null && was != null) {
                log.info("{} for cluster {} is right again: {} = {}.", s.name(), cluster, key, primary);
                logged.remove(s.name() + "|" + cluster);
            }
            out.add(c);
        }
        return out;
    }

    @Override
    public void close() {
        stores.forEach(KvStore::close);
    }
}
