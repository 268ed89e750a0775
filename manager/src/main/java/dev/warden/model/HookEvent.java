package dev.warden.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What hooks are told about. Config and payloads use the lower-case names. */
public enum HookEvent {
    FAILURE_DETECTED,
    PRE_FAILOVER,
    POST_FAILOVER,
    FAILOVER_FAILED,
    PRE_SWITCHOVER,
    POST_SWITCHOVER,
    /** A switchover that was refused by a gate hook, rolled back, or failed. */
    SWITCHOVER_FAILED,
    REPLICA_OUT_OF_POOL,
    REPLICA_INTO_POOL,
    PRIMARY_QUARANTINED,
    /**
     * The fence step of a failover when the old primary cannot be reached: fencing by other means than read-only
     * (STONITH, network or proxy removal). A fence hook that succeeds counts as its fence.
     */
    FENCE_OLD_PRIMARY;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<HookEvent> parse(String text) {
        return Arrays.stream(values()).filter(e -> e.configName().equals(text.trim().toLowerCase(Locale.ROOT)))
                .findFirst();
    }

    /** Events that come before an operation changes anything: gate hooks on them can stop it. */
    public boolean gates() {
        return this == PRE_FAILOVER || this == PRE_SWITCHOVER;
    }
}
