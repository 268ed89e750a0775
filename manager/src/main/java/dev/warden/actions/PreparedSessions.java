package dev.warden.actions;

import dev.warden.model.InstanceKey;
import dev.warden.probe.ConnectionFactory;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Admin sessions opened while the primary looks gone but is not confirmed so yet, so that a failover that follows
 * finds its connections ready instead of opening them (a TLS handshake each, tens to hundreds of milliseconds on a
 * busy manager) between the verdict and the promotion. An operation takes them over; one nobody took within
 * {@link #MAX_AGE} is closed, and all are closed as soon as the primary no longer looks gone (or this manager may not
 * act). Nothing is run on them until an operation takes them, and one is checked alive then.
 */
final class PreparedSessions {

    static final Duration MAX_AGE = Duration.ofSeconds(20);
    /** After a failed open, that server is not tried again for this long (logins refused must not pile up). */
    static final Duration RETRY_AFTER = Duration.ofSeconds(5);
    private static final Duration OPEN_TIMEOUT = Duration.ofSeconds(2);

    private record Ready(AdminSession session, long openedAt) {
    }

    private final ConnectionFactory factory;
    private final Executor background;
    private final Map<InstanceKey, Ready> ready = new ConcurrentHashMap<>();
    private final Set<InstanceKey> opening = ConcurrentHashMap.newKeySet();
    private final Map<InstanceKey, Long> failedAt = new ConcurrentHashMap<>();
    private volatile boolean shutDown;

    PreparedSessions(ConnectionFactory factory, Executor background) {
        this.factory = factory;
        this.background = background;
    }

    /** Opens, in the background, a session to each server that has none ready or opening. */
    void prepare(Collection<InstanceKey> keys) {
        expire();
        long now = System.nanoTime();
        for (InstanceKey k : keys) {
            Long failed = failedAt.get(k);
            if (shutDown || ready.containsKey(k) || (failed != null && now - failed < RETRY_AFTER.toNanos())
                    || !opening.add(k)) {
                continue;
            }
            try {
                background.execute(() -> open(k));
            } catch (RuntimeException e) {
                opening.remove(k); // the pool is shutting down
            }
        }
    }

    private void open(InstanceKey k) {
        try {
            AdminSession s = AdminSession.open(factory, k, OPEN_TIMEOUT).share();
            failedAt.remove(k);
            Ready was = ready.put(k, new Ready(s, System.nanoTime()));
            if (was != null) {
                was.session().closeForGood();
            }
            if (shutDown) {
                close(); // the manager stopped while this one was opening
            }
        } catch (SQLException | RuntimeException e) {
            // the step that needs a session opens its own and says what is wrong
            failedAt.put(k, System.nanoTime());
        } finally {
            opening.remove(k);
        }
    }

    /** The server's prepared session, now the caller's; null when none is ready, usable and young enough. */
    AdminSession take(InstanceKey k) {
        Ready r = ready.remove(k);
        if (r == null) {
            return null;
        }
        if (tooOld(r) || !r.session().usable() || !alive(r.session())) {
            r.session().closeForGood();
            return null;
        }
        return r.session();
    }

    /** How many sessions are ready now (for tests). */
    int ready() {
        return ready.size();
    }

    /** The connection id of the server's ready session, or null (for tests). */
    Long readyConnection(InstanceKey k) {
        Ready r = ready.get(k);
        return r == null ? null : r.session().connectionId;
    }

    /** How many are being opened now (for tests). */
    int opening() {
        return opening.size();
    }

    private void expire() {
        ready.forEach((k, r) -> {
            if (tooOld(r) && ready.remove(k, r)) {
                r.session().closeForGood();
            }
        });
    }

    /** A round trip: a server restarted since (or a connection it timed out) is found here, not by the step. */
    private static boolean alive(AdminSession s) {
        try {
            return s.connection.isValid(1);
        } catch (SQLException e) {
            return false;
        }
    }

    private static boolean tooOld(Ready r) {
        return System.nanoTime() - r.openedAt() > MAX_AGE.toNanos();
    }

    /** Closes every session not taken (the primary no longer looks gone, or this manager may not act). */
    void close() {
        for (InstanceKey k : List.copyOf(ready.keySet())) {
            Ready r = ready.remove(k);
            if (r != null) {
                r.session().closeForGood();
            }
        }
    }

    /** The manager stops: closed now, and whatever is still being opened is closed once open. */
    void shutDown() {
        shutDown = true;
        close();
    }
}
