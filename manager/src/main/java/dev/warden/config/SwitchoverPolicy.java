package dev.warden.config;

import java.time.Duration;

/**
 * How planned switchovers run (config section {@code switchover}).
 *
 * @param maxLag         a candidate further behind than this is refused by the precheck
 * @param killGrace      after the old primary turns read-only, client sessions get this long before they are killed
 * @param catchUpTimeout bound on the candidate reaching the old primary's exact GTID set; past it, roll back
 */
public record SwitchoverPolicy(Duration maxLag, Duration killGrace, Duration catchUpTimeout) {

    public static final SwitchoverPolicy DEFAULTS = new SwitchoverPolicy(Duration.ofSeconds(5), Duration.ofMillis(100),
            Duration.ofSeconds(5));
}
