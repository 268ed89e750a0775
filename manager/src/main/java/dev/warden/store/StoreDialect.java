package dev.warden.store;

import java.util.Map;

/** What differs between SQLite and MySQL in the store's schema files. */
enum StoreDialect {
    SQLITE(Map.of("id", "INTEGER PRIMARY KEY AUTOINCREMENT", "long_text", "TEXT", "table", "")),
    MYSQL(Map.of("id", "BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY", "long_text", "MEDIUMTEXT",
            "table", " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"));

    private final Map<String, String> placeholders;

    StoreDialect(Map<String, String> placeholders) {
        this.placeholders = placeholders;
    }

    Map<String, String> placeholders() {
        return placeholders;
    }
}
