package dev.warden.store;

import dev.warden.decision.Finding;
import dev.warden.decision.Vote;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The history of findings: a row per incident (same code on the same server), opened when first seen, its
 * last_seen refreshed while it holds (at most every {@link #REFRESH}), closed when it is gone. Findings still
 * open when the manager stopped are picked up again, not duplicated.
 */
public final class FindingStore {

    static final Duration REFRESH = Duration.ofSeconds(10);

    private final Store store;
    private final Map<String, Map<String, Open>> open = new HashMap<>();
    /** The latest findings of each cluster not written yet (older ones of the same cluster are superseded). */
    private final java.util.concurrent.ConcurrentHashMap<String, Pending> pending =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.Semaphore work = new java.util.concurrent.Semaphore(0);
    private volatile Thread writer;

    private record Pending(List<Finding> findings, Instant at) {
    }

    /** A finding as kept: when it was first and last seen, and when it cleared (null while it holds). */
    public record FindingRecord(long id, String cluster, String code, String server, Instant firstSeen,
                                Instant lastSeen, Instant clearedAt, String sentence, List<Vote> evidence) {
    }

    private record Open(long id, Instant written, String sentence) {
    }

    FindingStore(Store store) {
        this.store = store;
    }

    /**
     * Records the findings of one cycle of {@code cluster} in the background, so that a slow store never holds up a
     * cycle (of this cluster or any other): only each cluster's latest findings wait to be written.
     */
    public void syncLater(String cluster, List<Finding> findings, Instant now) {
        pending.put(cluster, new Pending(List.copyOf(findings), now));
        if (writer == null) {
            startWriter();
        }
        work.release();
    }

    private synchronized void startWriter() {
        if (writer != null) {
            return;
        }
        Thread t = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    work.acquire();
                    work.drainPermits();
                } catch (InterruptedException e) {
                    return;
                }
                for (String cluster : List.copyOf(pending.keySet())) {
                    Pending p = pending.remove(cluster);
                    if (p != null) {
                        sync(cluster, p.findings(), p.at());
                    }
                }
            }
        }, "store-findings");
        t.setDaemon(true);
        t.start();
        writer = t;
    }

    void stop() {
        Thread t = writer;
        if (t != null) {
            t.interrupt();
        }
    }

    /** Records the findings of one cycle of {@code cluster}. Never throws: a failed write is logged. */
    public synchronized void sync(String cluster, List<Finding> findings, Instant now) {
        try {
            Map<String, Open> current = open.computeIfAbsent(cluster, this::loadOpen);
            Set<String> seen = new HashSet<>();
            store.jdbi.useTransaction(h -> {
                for (Finding f : findings) {
                    String server = f.server() == null ? "" : f.server().toString();
                    String key = f.code() + "|" + server;
                    if (!seen.add(key)) {
                        continue;
                    }
                    Open o = current.get(key);
                    if (o == null) {
                        long id = h.createUpdate("INSERT INTO findings (cluster, code, server, first_seen, last_seen, "
                                        + "sentence, evidence_json) VALUES (:c, :code, :s, :at, :at, :sentence, :ev)")
                                .bind("c", cluster).bind("code", f.code().name()).bind("s", server)
                                .bind("at", now.toEpochMilli()).bind("sentence", f.sentence())
                                .bind("ev", PlanCodec.votes(f.votes())).executeAndReturnGeneratedKeys()
                                .mapTo(Long.class).one();
                        current.put(key, new Open(id, now, f.sentence()));
                    } else if (Duration.between(o.written(), now).compareTo(REFRESH) >= 0) {
                        h.createUpdate("UPDATE findings SET last_seen = :at, sentence = :sentence, evidence_json = :ev "
                                        + "WHERE id = :id").bind("at", now.toEpochMilli()).bind("sentence", f.sentence())
                                .bind("ev", PlanCodec.votes(f.votes())).bind("id", o.id()).execute();
                        current.put(key, new Open(o.id(), now, f.sentence()));
                    }
                }
                for (var it = current.entrySet().iterator(); it.hasNext(); ) {
                    var e = it.next();
                    if (!seen.contains(e.getKey())) {
                        h.createUpdate("UPDATE findings SET cleared_at = :at, last_seen = :at WHERE id = :id")
                                .bind("at", now.toEpochMilli()).bind("id", e.getValue().id()).execute();
                        it.remove();
                    }
                }
            });
            store.wrote();
        } catch (RuntimeException e) {
            open.remove(cluster);
            store.failed("recording findings of cluster " + cluster, e);
        }
    }

    private Map<String, Open> loadOpen(String cluster) {
        Map<String, Open> m = new HashMap<>();
        store.jdbi.useHandle(h -> h.createQuery("SELECT id, code, server, last_seen, sentence FROM findings "
                        + "WHERE cluster = :c AND cleared_at IS NULL").bind("c", cluster)
                .map((rs, ctx) -> Map.entry(rs.getString("code") + "|" + rs.getString("server"),
                        new Open(rs.getLong("id"), Instant.ofEpochMilli(rs.getLong("last_seen")),
                                rs.getString("sentence"))))
                .forEach(e -> m.put(e.getKey(), e.getValue())));
        return m;
    }

    /** Newest first. */
    public List<FindingRecord> history(String cluster, int limit) {
        return store.jdbi.withHandle(h -> h.createQuery("SELECT * FROM findings WHERE cluster = :c "
                        + "ORDER BY first_seen DESC, id DESC LIMIT :limit").bind("c", cluster).bind("limit", limit)
                .map((rs, ctx) -> new FindingRecord(rs.getLong("id"), rs.getString("cluster"), rs.getString("code"),
                        rs.getString("server"), OperationStore.instant(rs, "first_seen"),
                        OperationStore.instant(rs, "last_seen"), OperationStore.instant(rs, "cleared_at"),
                        rs.getString("sentence"), PlanCodec.votes(rs.getString("evidence_json"))))
                .list());
    }

    /** For tests and the console: every finding of a cluster, oldest first. */
    public List<FindingRecord> all(String cluster) {
        List<FindingRecord> out = new ArrayList<>(history(cluster, Integer.MAX_VALUE));
        java.util.Collections.reverse(out);
        return out;
    }
}
