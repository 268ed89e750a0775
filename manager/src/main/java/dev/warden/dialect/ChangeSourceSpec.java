package dev.warden.dialect;

import dev.warden.model.InstanceKey;
import java.time.Duration;
import java.util.Objects;

/**
 * Where a replica should replicate from, always with GTID auto-positioning.
 *
 * @param heartbeatPeriod how often the source sends a heartbeat when idle
 * @param connectRetry    seconds between reconnect attempts of the IO thread
 * @param retryCount      reconnect attempts before the IO thread gives up (MySQL only; MariaDB uses a global)
 * @param channel         the replication channel (MySQL) or connection name (MariaDB) to change; null for a
 *                        statement without one (a server with a single channel)
 */
public record ChangeSourceSpec(InstanceKey source, String user, String password, Duration heartbeatPeriod,
                               int connectRetry, int retryCount, String channel) {

    public ChangeSourceSpec(InstanceKey source, String user, String password, Duration heartbeatPeriod,
                            int connectRetry, int retryCount) {
        this(source, user, password, heartbeatPeriod, connectRetry, retryCount, null);
    }

    public ChangeSourceSpec {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(heartbeatPeriod, "heartbeatPeriod");
        if (connectRetry < 1) {
            throw new IllegalArgumentException("connectRetry must be at least 1 second");
        }
    }
}
