package dev.warden.config;

import java.util.Objects;

/**
 * How the manager logs in to servers, and the account replicas use to replicate.
 *
 * @param allowPublicKeyRetrieval lets Connector/J fetch the server's RSA key for caching_sha2_password over
 *                                plain TCP; needed with {@code tls: disabled} on MySQL 8+ (open to MITM: prefer TLS)
 */
public record Credentials(String user, Secret password, String replicationUser, Secret replicationPassword,
                          TlsMode tls, boolean allowPublicKeyRetrieval) {

    public Credentials {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(replicationUser, "replicationUser");
        Objects.requireNonNull(replicationPassword, "replicationPassword");
        Objects.requireNonNull(tls, "tls");
    }

    @Override
    public String toString() {
        return "Credentials[user=" + user + ", password=<masked>, replicationUser=" + replicationUser
                + ", replicationPassword=<masked>, tls=" + tls.configName() + "]";
    }
}
