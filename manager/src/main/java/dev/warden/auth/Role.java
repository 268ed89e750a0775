package dev.warden.auth;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a user may do; each role includes the ones before it. */
public enum Role {
    /** Reads everything: clusters, plans, operations, history, the stream, metrics. */
    VIEWER,
    /** Also switchover, maintenance, acknowledge, failover of a dead primary. */
    OPERATOR,
    /** Also forced failover of a primary that looks healthy. */
    ADMIN;

    public boolean includes(Role required) {
        return compareTo(required) >= 0;
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> parse(String text) {
        return Arrays.stream(values()).filter(r -> r.configName().equals(text.trim().toLowerCase(Locale.ROOT)))
                .findFirst();
    }
}
