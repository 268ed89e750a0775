package dev.warden.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * An application writing numbered rows at a steady rate, as an ordinary user (no SUPER, so read-only stops it),
 * recording which commits were acknowledged and when. It writes to one server, or follows whichever server a
 * supplier names (a client that finds the new primary, as a proxy would). Reconnects after errors.
 */
public final class RowWriter implements AutoCloseable {

    public static final String USER = "app";
    public static final String PASSWORD = "app-pw";

    private final java.util.function.IntSupplier target;
    private final long pauseMicros;
    private final ConcurrentLinkedQueue<Long> acked = new ConcurrentLinkedQueue<>();
    private final List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<java.time.Instant> ackTimes = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<java.time.Instant> errorTimes = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean paused;
    private long next = 1;

    /** Creates the application account and table on the primary (they replicate). */
    public static void prepare(java.util.function.Consumer<String[]> rootOnPrimary) {
        rootOnPrimary.accept(new String[] {
                "CREATE DATABASE IF NOT EXISTS app",
                "CREATE TABLE IF NOT EXISTS app.rows (id BIGINT PRIMARY KEY, at TIMESTAMP(6) NOT NULL, srv INT NULL)",
                "CREATE USER IF NOT EXISTS '" + USER + "'@'%' IDENTIFIED BY '" + PASSWORD + "'",
                "GRANT SELECT, INSERT ON app.* TO '" + USER + "'@'%'"});
    }

    public RowWriter(int port, int rowsPerSecond) {
        this(() -> port, rowsPerSecond);
    }

    /** Writes to the port {@code target} names at each (re)connect; 0 means none yet (wait and ask again). */
    public RowWriter(java.util.function.IntSupplier target, int rowsPerSecond) {
        this(target, rowsPerSecond, 1);
    }

    /** @param firstId the first row id (writers sharing a table use ranges of their own) */
    public RowWriter(java.util.function.IntSupplier target, int rowsPerSecond, long firstId) {
        this.next = firstId;
        this.target = target;
        this.pauseMicros = 1_000_000L / rowsPerSecond;
        this.thread = new Thread(this::loop, "row-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private Connection connect() throws SQLException {
        int port = target.getAsInt();
        if (port == 0) {
            throw new SQLException("no writable server known yet");
        }
        Properties p = new Properties();
        p.setProperty("user", USER);
        p.setProperty("password", PASSWORD);
        p.setProperty("connectTimeout", "300");
        p.setProperty("socketTimeout", "1000");
        p.setProperty("sslMode", "DISABLED");
        p.setProperty("allowPublicKeyRetrieval", "true");
        return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + port + "/", p);
    }

    private void loop() {
        Connection c = null;
        while (running) {
            long t0 = System.nanoTime();
            try {
                if (paused) {
                    Thread.sleep(5);
                    continue;
                }
                if (c == null) {
                    c = connect();
                }
                // Each row names the server that took it (@@port): the ground truth of who accepted which write.
                try (PreparedStatement st = c.prepareStatement("INSERT INTO app.rows (id, at, srv) VALUES (?, NOW(6), "
                        + "@@port)")) {
                    st.setLong(1, next);
                    st.executeUpdate();
                }
                acked.add(next);
                ackTimes.add(java.time.Instant.now());
                next++;
            } catch (InterruptedException e) {
                return;
            } catch (SQLException e) {
                errors.add(e.getMessage());
                errorTimes.add(java.time.Instant.now());
                if (c != null) {
                    try {
                        c.close();
                    } catch (SQLException ignored) {
                        // broken
                    }
                    c = null;
                }
                next++; // the row may or may not have committed: never reuse its id
            }
            long left = pauseMicros * 1000 - (System.nanoTime() - t0);
            if (left > 0) {
                try {
                    Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing
            }
        }
    }

    /** A quiet application: no writes until {@link #resume}. */
    public void pause() {
        paused = true;
    }

    public void resume() {
        paused = false;
    }

    public List<Long> acknowledged() {
        return List.copyOf(acked);
    }

    /**
     * What the application saw of an incident after {@code from}: from its last acknowledged write before the
     * first failed one to its first acknowledged write after the failures. Null when no write failed.
     */
    public java.time.Duration outageAfter(java.time.Instant from) {
        java.time.Instant firstError = errorTimes.stream().filter(t -> !t.isBefore(from)).findFirst().orElse(null);
        if (firstError == null) {
            return null;
        }
        List<java.time.Instant> acks = List.copyOf(ackTimes);
        java.time.Instant lastOk = acks.stream().filter(t -> t.isBefore(firstError)).reduce((a, b) -> b).orElse(from);
        java.time.Instant lastError = errorTimes.stream().filter(t -> !t.isBefore(firstError)).reduce((a, b) -> b)
                .orElse(firstError);
        java.time.Instant backOk = acks.stream().filter(t -> t.isAfter(lastError)).findFirst().orElse(null);
        return backOk == null ? null : java.time.Duration.between(lastOk, backOk);
    }

    /** Whether a write was acknowledged after {@code t}. */
    public boolean ackedAfter(java.time.Instant t) {
        List<java.time.Instant> acks = List.copyOf(ackTimes);
        return !acks.isEmpty() && acks.get(acks.size() - 1).isAfter(t);
    }

    public List<String> errors() {
        return List.copyOf(errors);
    }

    /** Stops writing and waits for the last statement to end. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5000);
    }

}
