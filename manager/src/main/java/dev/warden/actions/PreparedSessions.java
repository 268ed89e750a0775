package dev.warden.actions;

import dev.warden.model.InstanceKey;
import dev.warden.probe.ConnectionFactory;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Admin sessions opened while the primary looks gone but is not confirmed so yet, so that a failover that follows
 * finds its connections ready instead of opening them (a TLS handshake each, tens to hundreds of milliseconds on a
 * busy manager) between the verdict and the promotion. An operation takes them over; one nobody took within
 * {@link #MAX_AGE} is closed. Nothing is run on them until an operation takes them.
 */
final class PreparedSessions {

    static final Duration MAX_AGE = Duration.ofSeconds(20);
    private static final Duration OPEN_TIMEOUT = Duration.ofSeconds(2);

    private record Ready(AdminSession session, long openedAt) {
    }

    private final ConnectionFactory factory;
    private final Executor background;
    private final Map<InstanceKey, Ready> ready = new ConcurrentHashMap<>();
    private final Set<InstanceKey> opening = ConcurrentHashMap.newKeySet();

    PreparedSessions(ConnectionFactory factory, Executor background) {
        this.factory = factory;
        this.background = background;
    }

    /** Opens, in the background, a session to each server that has none ready or opening. */
    void prepare(Collection<InstanceKey> keys) {
        expire();
        for (InstanceKey k : keys) {
            if (ready.containsKey(k) || !opening.add(k)) {
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
            Ready was = ready.put(k, new Ready(s, System.nanoTime()));
            if (was != null) {
                was.session().closeForGood();
            }
        } catch (SQLException | RuntimeException e) {
            // the step that needs a session opens its own and says what is wrong
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
        if (tooOld(r) || !r.session().usable()) {
            r.session().closeForGood();
            return null;
        }
        return r.session();
    }

    /** How many sessions are ready now (for tests). */
    int ready() {
        return ready.size();
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

    private static boolean tooOld(Ready r) {
        return System.nanoTime() - r.openedAt() > MAX_AGE.toNanos();
    }

    void close() {
        ready.values().forEach(r -> r.session().closeForGood());
        ready.clear();
    }
}
