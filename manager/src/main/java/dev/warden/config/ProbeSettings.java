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
 */
public record ProbeSettings(Duration interval, Duration connectTimeout, Duration readTimeout, Duration writeTimeout,
                            boolean writeHeartbeat) {

    public static final ProbeSettings DEFAULTS = new ProbeSettings(Duration.ofMillis(1000), Duration.ofMillis(300),
            Duration.ofMillis(500), Duration.ofMillis(300), true);
}
