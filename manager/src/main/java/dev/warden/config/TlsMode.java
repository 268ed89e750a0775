package dev.warden.config;

import java.util.Locale;

/** How the manager's JDBC connections use TLS (Connector/J {@code sslMode}). */
public enum TlsMode {
    DISABLED,
    PREFERRED,
    REQUIRED,
    VERIFY_CA,
    VERIFY_IDENTITY;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
