package dev.warden.dialect;

import dev.warden.model.ServerVersion;

/** Picks the dialect for an exact server version. */
public final class Dialects {

    private Dialects() {
    }

    public static Dialect forVersion(ServerVersion v) {
        if (v.isMariaDb()) {
            if (!v.atLeast(10, 5, 1)) {
                throw new UnsupportedServerException(v + " is too old: Warden manages MariaDB 10.5.1 and later");
            }
            return new MariaDbDialect(v);
        }
        if (v.major() < 8) {
            throw new UnsupportedServerException(v + " is too old: Warden manages MySQL 8.0 and later");
        }
        if (v.major() == 8 && v.minor() == 0) {
            return new MySql80Dialect(v);
        }
        return new MySqlDialect(v);
    }
}
