package dev.warden.probe;

import dev.warden.config.Credentials;
import dev.warden.model.InstanceKey;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

/**
 * Opens JDBC connections to one server with strict timeouts. Probing keeps one connection per server
 * itself instead of using a pool: a pool waits its whole connection timeout when a server refuses, which
 * would hide the immediate "refused" signal that detection depends on.
 */
public final class ConnectionFactory {

    static {
        try {
            Class.forName("com.mysql.cj.jdbc.Driver");
        } catch (ClassNotFoundException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Credentials credentials;
    private final Duration connectTimeout;

    public ConnectionFactory(Credentials credentials, Duration connectTimeout) {
        this.credentials = credentials;
        this.connectTimeout = connectTimeout;
    }

    /**
     * Connects within {@code connectTimeout} (TCP) and {@code readTimeout} (each read, login included).
     */
    public Connection open(InstanceKey key, Duration readTimeout) throws SQLException {
        return DriverManager.getConnection(url(key), properties(readTimeout));
    }

    public static String url(InstanceKey key) {
        String host = key.host().indexOf(':') >= 0 ? "[" + key.host() + "]" : key.host();
        return "jdbc:mysql://" + host + ":" + key.port() + "/";
    }

    Properties properties(Duration readTimeout) {
        Properties p = new Properties();
        p.setProperty("user", credentials.user());
        p.setProperty("password", credentials.password().reveal());
        p.setProperty("connectTimeout", Long.toString(Math.max(1, connectTimeout.toMillis())));
        p.setProperty("socketTimeout", Long.toString(Math.max(1, readTimeout.toMillis())));
        p.setProperty("sslMode", credentials.tls().name());
        p.setProperty("allowPublicKeyRetrieval", Boolean.toString(credentials.allowPublicKeyRetrieval()));
        p.setProperty("tcpKeepAlive", "true");
        p.setProperty("connectionAttributes", "program_name:warden");
        p.setProperty("useServerPrepStmts", "false");
        p.setProperty("cacheServerConfiguration", "true");
        p.setProperty("useLocalSessionState", "true");
        p.setProperty("zeroDateTimeBehavior", "CONVERT_TO_NULL");
        // Never retry or fail over inside the driver: Warden decides what a failure means.
        p.setProperty("autoReconnect", "false");
        // Statements such as CHANGE REPLICATION SOURCE carry quoted literals; keep backslash escapes on.
        p.setProperty("sessionVariables", "sql_mode='NO_ENGINE_SUBSTITUTION'");
        return p;
    }

    public String user() {
        return credentials.user();
    }
}
