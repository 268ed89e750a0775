package dev.warden.config;

import java.time.Duration;

/**
 * Settings Warden applies when it points a replica at a source.
 *
 * @param heartbeatPeriod        source heartbeat period; also how replicas' silence is judged
 * @param connectRetry           seconds between IO thread reconnects
 * @param retryCount             IO thread reconnect attempts (MySQL)
 * @param enforceHeartbeatPeriod give every watched replica whose own period is too long for its silence to mean
 *                               anything this heartbeat period (its IO thread restarts briefly); off: leave them
 *                               alone, and such a replica confirms a dead primary only by losing its connection
 */
public record ReplicationSettingsConfig(Duration heartbeatPeriod, int connectRetry, int retryCount,
                                        boolean enforceHeartbeatPeriod) {

    public static final ReplicationSettingsConfig DEFAULTS =
            new ReplicationSettingsConfig(Duration.ofMillis(500), 1, 86400, true);
}
