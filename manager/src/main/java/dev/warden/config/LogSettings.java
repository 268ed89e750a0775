package dev.warden.config;

import java.time.Duration;

/**
 * How the daemon logs ({@code logging} in warden.yaml).
 *
 * @param format          text lines, or one JSON object per line for log shippers
 * @param summaryInterval how often each cluster's state is logged at INFO when nothing changed
 */
public record LogSettings(Format format, Duration summaryInterval) {

    public static final LogSettings DEFAULTS = new LogSettings(Format.TEXT, Duration.ofMinutes(5));

    public enum Format {
        TEXT, JSON;

        public String configName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
