package dev.warden.store;

import dev.warden.config.StoreSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * One manager per MySQL store: a named lock ({@code GET_LOCK}) held on a connection of its own while the store is
 * open. The server releases it when that connection ends, so a crashed manager never blocks its successor.
 */
final class MysqlStoreLock implements AutoCloseable {

    private final Connection connection;

    private MysqlStoreLock(Connection connection) {
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
            try (PreparedStatement ps = c.prepareStatement("SELECT GET_LOCK(?, 0), IS_USED_LOCK(?)")) {
                ps.setString(1, name);
                ps.setString(2, name);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) != 1) {
                        long holder = rs.getLong(2);
                        c.close();
                        throw new StoreException("the store " + s.display() + " is in use by another Warden (its "
                                + "connection " + holder + " holds the lock " + name + "): one manager per store. "
                                + "Stop that one, or give this one its own schema");
                    }
                }
            }
            return new MysqlStoreLock(c);
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

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
