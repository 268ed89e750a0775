package dev.warden.config;

import java.time.Duration;

/**
 * How servers are watched.
 *
 * @param interval       time between the starts of two probe cycles
 * @param connectTimeout TCP connect and login
 * @param readTimeout    the whole probe of one server (connect included); past it the server counts as timed out
 * @param writeTimeout   the heartbeat write on the primary; past it the primary counts as not writing
 * @param writeHeartbeat whether the manager writes the heartbeat table on the primary
 * @param suspectInterval time between cycles while the primary looks gone, until that is confirmed or refuted
 * @param watchPrimary   keep a connection blocked in SLEEP() on the primary: its death is noticed at once,
 *                       without waiting for the next cycle
 */
public record ProbeSettings(Duration interval, Duration connectTimeout, Duration readTimeout, Duration writeTimeout,
                            boolean writeHeartbeat, Duration suspectInterval, boolean watchPrimary) {

    public static final ProbeSettings DEFAULTS = new ProbeSettings(Duration.ofMillis(1000), Duration.ofMillis(300),
            Duration.ofMillis(500), Duration.ofMillis(300), true, Duration.ofMillis(50), true);
}
