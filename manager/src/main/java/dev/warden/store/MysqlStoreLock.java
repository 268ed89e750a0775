package dev.warden.store;

import dev.warden.config.StoreSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * One manager per MySQL store: a named lock ({@code GET_LOCK}) held on a connection of its own while the store is
 * open. The server releases it when that connection ends, so a crashed manager never blocks its successor; and so
 * {@link #check()} verifies, every second, that this manager still holds it (taking it again when it is free).
 */
final class MysqlStoreLock implements AutoCloseable {

    private final String url;
    private final StoreSettings settings;
    private final String name;
    private volatile Connection connection;

    private MysqlStoreLock(String url, StoreSettings settings, String name, Connection connection) {
        this.url = url;
        this.settings = settings;
        this.name = name;
        this.connection = connection;
    }

    static MysqlStoreLock acquire(String url, StoreSettings s) {
        Connection c = null;
        try {
            c = DriverManager.getConnection(url, s.user(), s.password().reveal());
            String name;
            try (ResultSet rs = c.createStatement().executeQuery("SELECT CONCAT('warden_store.', DATABASE())")) {
                rs.next();
                name = rs.getString(1);
            }
            long holder = take(c, name);
            if (holder != 0) {
                c.close();
                throw new StoreException("the store " + s.display() + " is in use by another Warden (its "
                        + "connection " + holder + " holds the lock " + name + "): one manager per store. "
                        + "Stop that one, or give this one its own schema");
            }
            return new MysqlStoreLock(url, s, name, c);
        } catch (SQLException e) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (SQLException ignored) {
                // already failing
            }
            throw Store.problem(s, e);
        }
    }

    /** Takes the lock without waiting: 0 when this connection holds it now, else the holder's connection id (-1: ?). */
    private static long take(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT GET_LOCK(?, 0), IS_USED_LOCK(?)")) {
            ps.setString(1, name);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getInt(1) == 1) {
                    return 0;
                }
                long holder = rs.getLong(2);
                return holder == 0 ? -1 : holder;
            }
        }
    }

    /**
     * For managers that share the store under coordination (ZooKeeper decides which one acts on each cluster):
     * refuses a store that a manager running alone holds, and runs {@code migrate} under a lock of its own so that
     * managers starting together migrate one at a time.
     */
    static void shared(String url, StoreSettings s, Runnable migrate) {
        try (Connection c = DriverManager.getConnection(url, s.user(), s.password().reveal())) {
            String name;
            try (ResultSet rs = c.createStatement().executeQuery("SELECT CONCAT('warden_store.', DATABASE())")) {
                rs.next();
                name = rs.getString(1);
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT IS_USED_LOCK(?)")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    long holder = rs.getLong(1);
                    if (!rs.wasNull()) {
                        throw new StoreException("the store " + s.display() + " is in use by a Warden running alone "
                                + "(its connection " + holder + " holds the lock " + name + "): managers under "
                                + "coordination cannot share it with one that is not. Give that one coordination too, "
                                + "or stop it");
                    }
                }
            }
            String migration = "warden_migrate." + name.substring("warden_store.".length());
            try (PreparedStatement ps = c.prepareStatement("SELECT GET_LOCK(?, 30)")) {
                ps.setString(1, migration);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || rs.getInt(1) != 1) {
                        throw new StoreException("another manager has been migrating the store " + s.display()
                                + " for 30 s; check its log, then start this one again");
                    }
                }
            }
            try {
                migrate.run();
            } finally {
                try (PreparedStatement ps = c.prepareStatement("DO RELEASE_LOCK(?)")) {
                    ps.setString(1, migration);
                    ps.execute();
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot open the shared store " + s.display() + ": " + Store.rootMessage(e), e);
        }
    }

    /** Null while this manager holds the lock; else what is wrong (after trying to take it again). */
    synchronized String check() {
        try {
            Connection c = connection;
            if (c != null && !c.isClosed()) {
                c.setNetworkTimeout(Runnable::run, 2000);
                try (PreparedStatement ps = c.prepareStatement("SELECT IS_USED_LOCK(?) = CONNECTION_ID()")) {
                    ps.setString(1, name);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next() && rs.getInt(1) == 1) {
                            return null;
                        }
                    }
                }
            }
        } catch (SQLException e) {
            // the lock's connection broke: the server released the lock with it
        }
        closeQuietly();
        try {
            Connection c = DriverManager.getConnection(url, settings.user(), settings.password().reveal());
            c.setNetworkTimeout(Runnable::run, 2000);
            long holder = take(c, name);
            if (holder == 0) {
                connection = c;
                return null;
            }
            c.close();
            return "the store's lock " + name + " is held by another connection (" + holder + "): another manager "
                    + "may be acting on this store";
        } catch (SQLException e) {
            return "the store's lock " + name + " was lost and cannot be taken again (" + Store.rootMessage(e) + ")";
        }
    }

    private void closeQuietly() {
        Connection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // broken anyway
            }
        }
    }

    @Override
    public synchronized void close() throws SQLException {
        Connection c = connection;
        connection = null;
        if (c != null) {
            c.close();
        }
    }
}
