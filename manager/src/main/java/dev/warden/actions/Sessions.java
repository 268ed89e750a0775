package dev.warden.actions;

import dev.warden.model.InstanceKey;
import dev.warden.probe.ConnectionFactory;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The admin connections of one operation, one per server, opened once and reused by its steps: a new MySQL
 * connection costs a TLS handshake (tens of milliseconds), which would add up inside a switchover's write pause.
 * A session whose statement failed is dropped and reopened by the next step.
 */
final class Sessions implements AutoCloseable {

    private final ConnectionFactory factory;
    private final PreparedSessions prepared;
    private final Map<InstanceKey, AdminSession> open = new ConcurrentHashMap<>();

    Sessions(ConnectionFactory factory) {
        this(factory, null);
    }

    /** @param prepared sessions opened ahead of the operation, taken over before opening new ones; may be null */
    Sessions(ConnectionFactory factory, PreparedSessions prepared) {
        this.factory = factory;
        this.prepared = prepared;
    }

    /** The server's session, bounded by {@code timeout} from now; opened if needed. */
    AdminSession get(InstanceKey key, Duration timeout) throws SQLException {
        AdminSession s = open.get(key);
        if (s != null && s.usable()) {
            return s.within(timeout);
        }
        if (s != null) {
            open.remove(key, s);
            s.closeForGood();
        }
        AdminSession ready = prepared == null ? null : prepared.take(key);
        if (ready != null) {
            open.put(key, ready);
            return ready.within(timeout);
        }
        s = AdminSession.open(factory, key, timeout).share();
        open.put(key, s);
        return s;
    }

    /** Opens sessions ahead of time, ignoring servers that do not answer quickly. */
    void warm(Duration timeout, InstanceKey... keys) {
        for (InstanceKey k : keys) {
            if (k == null) {
                continue;
            }
            try {
                get(k, timeout);
            } catch (SQLException e) {
                // the step that needs it will say what is wrong
            }
        }
    }

    /** Closes and forgets the server's session; returns it (for what became of its last statement), or null. */
    AdminSession drop(InstanceKey key) {
        AdminSession s = open.remove(key);
        if (s != null) {
            s.closeForGood();
        }
        return s;
    }

    @Override
    public void close() {
        open.values().forEach(AdminSession::closeForGood);
        open.clear();
    }
}
