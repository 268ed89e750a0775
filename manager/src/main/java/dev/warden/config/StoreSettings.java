package dev.warden.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Where Warden keeps what it decided and did: an SQLite file (the default) or a MySQL schema shared by several
 * deployments.
 *
 * @param sqlite    the SQLite file, or null when a MySQL schema is used
 * @param mysqlUrl  a {@code jdbc:mysql://host:port/schema} URL, or null
 * @param retention how long history (operations, findings, user actions) is kept
 */
public record StoreSettings(Path sqlite, String mysqlUrl, String user, Secret password, Duration retention) {

    public static final Duration DEFAULT_RETENTION = Duration.ofDays(90);

    public static StoreSettings sqlite(Path file) {
        return new StoreSettings(file, null, null, null, DEFAULT_RETENTION);
    }

    public boolean isMysql() {
        return mysqlUrl != null;
    }

    /** The file or the URL, for messages (never the password). */
    public String display() {
        return isMysql() ? mysqlUrl + " as " + user : sqlite.toString();
    }
}
