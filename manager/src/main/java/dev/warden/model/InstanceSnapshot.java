package dev.warden.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One probe of one server: when, how long, the outcome, and what was read.
 *
 * @param error          the last real cause when unreachable (null when reachable)
 * @param state          what was read; null unless reachable
 * @param heartbeatWrite the write probe made on this server in the same cycle; null when none was attempted
 */
public record InstanceSnapshot(InstanceKey key, Instant probedAt, Duration latency, Reachability reachability,
                               String error, ServerState state, HeartbeatWrite heartbeatWrite) {

    public InstanceSnapshot {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(probedAt, "probedAt");
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(reachability, "reachability");
        if (reachability.reachable() != (state != null)) {
            throw new IllegalArgumentException("a reachable snapshot has a state, an unreachable one has none: "
                    + key + " " + reachability);
        }
    }

    public static InstanceSnapshot reachable(InstanceKey key, Instant probedAt, Duration latency, ServerState state) {
        return new InstanceSnapshot(key, probedAt, latency, Reachability.REACHABLE, null, state, null);
    }

    public static InstanceSnapshot unreachable(InstanceKey key, Instant probedAt, Duration latency,
                                               Reachability why, String error) {
        return new InstanceSnapshot(key, probedAt, latency, why, error, null, null);
    }

    /** The error of a stand-in for a probe that was sent earlier and has not answered yet. */
    public static final String AWAITING_PREVIOUS = "previous probe still without an answer";

    /** A stand-in for a probe still in flight: not a probe of its own, so not another failed probe. */
    public boolean awaitingPrevious() {
        return !reachable() && error != null && error.startsWith(AWAITING_PREVIOUS);
    }

    public boolean reachable() {
        return reachability.reachable();
    }

    public Optional<ServerState> stateIfReachable() {
        return Optional.ofNullable(state);
    }

    public InstanceSnapshot withHeartbeatWrite(HeartbeatWrite write) {
        return new InstanceSnapshot(key, probedAt, latency, reachability, error, state, write);
    }
}
