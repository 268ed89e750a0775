package dev.warden.actions;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Operations: the running ones in memory, every one in the store. Reads come from the store (which is written
 * at every step), with the live object in place of its stored copy while it runs. Thread-safe.
 */
public final class OperationLog {

    /** What the log reads from: the store's operations, newest first. */
    public interface History {
        List<Operation> recent(String cluster, int limit);

        Optional<Operation> byId(String id);
    }

    private static final int MAX = 500;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();
    private final History history;
    private final Map<String, Operation> live = new ConcurrentHashMap<>();

    public OperationLog(History history) {
        this.history = history;
    }

    /** "op-20261122-101530-main-k3f9": unique across restarts without asking the store. */
    public String nextId(String cluster, Instant now) {
        String suffix = Integer.toString(RANDOM.nextInt(36 * 36 * 36 * 36), 36);
        return "op-" + STAMP.format(now) + "-" + cluster + "-" + "0".repeat(4 - suffix.length()) + suffix;
    }

    /** An operation starts (it is already recorded in the store). */
    public void running(Operation op) {
        live.put(op.id(), op);
    }

    /** An operation ended. */
    public void ended(Operation op) {
        live.remove(op.id());
    }

    /** Newest first; {@code cluster} null for all. */
    public List<Operation> recent(String cluster, int limit) {
        List<Operation> out = new ArrayList<>();
        for (Operation o : history.recent(cluster, limit)) {
            out.add(live.getOrDefault(o.id(), o));
        }
        return out;
    }

    /** Oldest first, the last {@value #MAX}. */
    public List<Operation> all() {
        List<Operation> out = recent(null, MAX);
        Collections.reverse(out);
        return out;
    }

    /** Oldest first, the last {@value #MAX} of one cluster. */
    public List<Operation> forCluster(String cluster) {
        List<Operation> out = recent(cluster, MAX);
        Collections.reverse(out);
        return out;
    }

    public Optional<Operation> byId(String id) {
        Operation l = live.get(id);
        return l != null ? Optional.of(l) : history.byId(id);
    }
}
