package dev.warden.config;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * One hook: which events it fires on, how (HTTP webhook or command), within what time, how often it is retried,
 * and whether its failure stops the operation.
 *
 * @param clusters  clusters it applies to; empty means all
 * @param url       for {@code type: http}
 * @param secret    HMAC-SHA256 key for the X-Warden-Signature header (http); may be null
 * @param command   argv for {@code type: command}, run without a shell
 * @param retries   attempts after the first one
 * @param backoff   wait before the first retry; doubled for each next one
 */
public record HookConfig(String name, Set<String> events, Type type, String url, Secret secret,
                         List<String> command, Duration timeout, int retries, Duration backoff, HookClass hookClass,
                         Set<String> clusters) {

    public enum Type { HTTP, COMMAND }

    /** A gate hook's failure or timeout aborts the operation before anything changed; best_effort is recorded. */
    public enum HookClass { GATE, BEST_EFFORT }

    public HookConfig {
        events = Set.copyOf(events);
        command = command == null ? List.of() : List.copyOf(command);
        clusters = Set.copyOf(clusters);
    }

    public boolean appliesTo(String event, String cluster) {
        return events.contains(event) && (clusters.isEmpty() || clusters.contains(cluster));
    }

    @Override
    public String toString() {
        return "hook " + name + " (" + type.name().toLowerCase(java.util.Locale.ROOT) + ", "
                + hookClass.name().toLowerCase(java.util.Locale.ROOT) + ")";
    }
}
