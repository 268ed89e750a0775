package dev.warden.config;

import java.time.Duration;

/**
 * Settings Warden applies when it points a replica at a source.
 *
 * @param heartbeatPeriod source heartbeat period; also how replicas' silence is judged
 * @param connectRetry    seconds between IO thread reconnects
 * @param retryCount      IO thread reconnect attempts (MySQL)
 */
public record ReplicationSettingsConfig(Duration heartbeatPeriod, int connectRetry, int retryCount) {

    public static final ReplicationSettingsConfig DEFAULTS =
            new ReplicationSettingsConfig(Duration.ofMillis(500), 1, 86400);
}
