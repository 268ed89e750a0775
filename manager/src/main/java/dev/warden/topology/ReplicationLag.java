package dev.warden.topology;

import java.time.Duration;
import java.util.Locale;

/**
 * How far a replica is behind its primary, as bounds: it is at least {@code atLeast} behind (it lacks a
 * heartbeat committed that long ago) and at most {@code atMost} (it has one committed that long ago).
 * Either bound may be null when unknown.
 */
public record ReplicationLag(Duration atLeast, Duration atMost, Basis basis) {

    public enum Basis {
        /** From the manager's own heartbeat writes and the manager's clock: skew-free. */
        HEARTBEAT,
        /** From the heartbeat row and the replica's clock: assumes the primary's and replica's clocks agree. */
        SERVER_CLOCK,
        /** From Seconds_Behind_Source: whole seconds, and blind to what the IO thread has not received. */
        SECONDS_BEHIND,
        UNKNOWN
    }

    public static final ReplicationLag UNKNOWN = new ReplicationLag(null, null, Basis.UNKNOWN);

    /** One number to compare with limits: the lower bound when the replica is known to be behind, else the upper. */
    public Duration estimate() {
        if (atLeast != null && !atLeast.isZero()) return atLeast;
        if (atMost != null) return atMost;
        return atLeast;
    }

    public boolean known() {
        return basis != Basis.UNKNOWN && estimate() != null;
    }

    /** "≤0.003s", "≥1.250s", "~2.100s (clocks)", "3s (seconds_behind)", "unknown". */
    public String display() {
        return switch (basis) {
            case UNKNOWN -> "unknown";
            case SECONDS_BEHIND -> estimate().toSeconds() + "s (seconds_behind)";
            case SERVER_CLOCK -> "~" + seconds(estimate()) + " (clocks)";
            case HEARTBEAT -> atLeast != null && !atLeast.isZero() ? ">=" + seconds(atLeast)
                    : atMost != null ? "<=" + seconds(atMost) : "unknown";
        };
    }

    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.3fs", d.toNanos() / 1e9);
    }
}
