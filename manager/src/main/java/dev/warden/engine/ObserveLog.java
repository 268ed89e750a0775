package dev.warden.engine;

import dev.warden.model.InstanceKey;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Observe mode ({@code failover.mode: observe}): what Warden would have done, next to what actually happened to the
 * cluster (its primary moved by someone else). The newest {@link #KEPT} entries; each is also logged and audited.
 */
public final class ObserveLog {

    static final int KEPT = 50;

    /** @param kind {@code would_fail_over} or {@code primary_moved} */
    public record Entry(Instant at, String kind, String text, InstanceKey server, InstanceKey to) {
    }

    private final Deque<Entry> entries = new ArrayDeque<>();
    private InstanceKey episode;
    private InstanceKey lastPrimary;

    /** A failover Warden would start now; once per dead primary until it no longer looks gone. */
    synchronized Optional<Entry> wouldFailOver(Instant now, InstanceKey primary, InstanceKey candidate,
                                               String plan, String trigger) {
        if (primary != null && primary.equals(episode)) {
            return Optional.empty();
        }
        episode = primary;
        return Optional.of(add(new Entry(now, "would_fail_over", "would have failed over at " + now + " to "
                + candidate + ": " + plan + " (" + trigger + ")", primary, candidate)));
    }

    /** No primary looks gone (any more). */
    synchronized void calm() {
        episode = null;
    }

    /** The primary seen this cycle (null: none); a change from the last one seen is what actually happened. */
    synchronized Optional<Entry> primaryIs(Instant now, InstanceKey primary) {
        if (primary == null) {
            return Optional.empty();
        }
        InstanceKey before = lastPrimary;
        lastPrimary = primary;
        if (before == null || before.equals(primary)) {
            return Optional.empty();
        }
        return Optional.of(add(new Entry(now, "primary_moved", "the primary moved from " + before + " to " + primary
                + " (seen at " + now + "; not by Warden, which is only observing)", before, primary)));
    }

    public synchronized List<Entry> entries() {
        return new ArrayList<>(entries);
    }

    private Entry add(Entry e) {
        entries.addLast(e);
        while (entries.size() > KEPT) {
            entries.removeFirst();
        }
        return e;
    }
}
