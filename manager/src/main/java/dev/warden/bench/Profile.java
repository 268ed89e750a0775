package dev.warden.bench;

import java.time.Duration;
import java.util.Locale;

/**
 * The settings a benchmark runs with: {@code default} is exactly what users get without tuning; {@code aggressive}
 * trades more probing for faster detection (heartbeat 250 ms, so replicas call the primary silent after 750 ms;
 * probes every 500 ms, 20 ms while the primary looks gone; 100 ms confirmation window).
 */
public enum Profile {
    DEFAULT(Duration.ofMillis(500), ""),
    AGGRESSIVE(Duration.ofMillis(250), """
            probe:
              interval: 500ms
              connect_timeout: 200ms
              read_timeout: 300ms
              write_timeout: 150ms
              suspect_interval: 20ms
            failover:
              confirmation_window: 100ms
            """);

    /** The replicas' heartbeat period (MASTER_HEARTBEAT_PERIOD), set when the sandbox is made. */
    public final Duration heartbeat;
    /** Added to the sandbox's generated configuration. */
    public final String yaml;

    Profile(Duration heartbeat, String yaml) {
        this.heartbeat = heartbeat;
        this.yaml = yaml;
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
