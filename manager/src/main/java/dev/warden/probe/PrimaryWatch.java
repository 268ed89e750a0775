package dev.warden.probe;

import dev.warden.model.InstanceKey;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one connection to the primary blocked in {@code SELECT SLEEP(...)}. When the primary dies or restarts the
 * connection breaks at once and {@code onLost} runs, so the next probe cycle starts immediately instead of up to
 * one interval later. A hung primary does not break it: that case is the probes' timeouts. One thread per cluster.
 */
public final class PrimaryWatch implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PrimaryWatch.class);
    private static final Duration RETRY = Duration.ofMillis(200);

    private final ConnectionFactory factory;
    private final Runnable onLost;
    private final AtomicReference<InstanceKey> target = new AtomicReference<>();
    private final AtomicReference<Connection> current = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean closed;

    public PrimaryWatch(String cluster, ConnectionFactory factory, Runnable onLost) {
        this.factory = factory;
        this.onLost = onLost;
        this.thread = new Thread(this::loop, "watch-" + cluster);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Watch this server from now on (null: watch nothing). */
    public void follow(InstanceKey primary) {
        InstanceKey before = target.getAndSet(primary);
        if (before != null && !before.equals(primary)) {
            abortCurrent();
        }
        if (primary != null && before == null) {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    private void loop() {
        while (!closed) {
            InstanceKey key = target.get();
            if (key == null) {
                waitForTarget();
                continue;
            }
            try (Connection c = factory.open(key, Duration.ofHours(2))) {
                current.set(c);
                if (!key.equals(target.get())) {
                    continue;
                }
                try (Statement st = c.createStatement()) {
                    st.execute("SELECT SLEEP(3600)");
                }
            } catch (SQLException e) {
                if (!closed && key.equals(target.get())) {
                    log.debug("Watch on {} lost: {}", key, FailureClassifier.message(e));
                    onLost.run();
                }
                pause();
            } finally {
                current.set(null);
            }
        }
    }

    private synchronized void waitForTarget() {
        try {
            wait(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    private void pause() {
        try {
            Thread.sleep(RETRY.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    private void abortCurrent() {
        Connection c = current.get();
        if (c != null) {
            try {
                c.abort(Runnable::run);
            } catch (SQLException e) {
                // already broken
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        target.set(null);
        abortCurrent();
        thread.interrupt();
    }
}
