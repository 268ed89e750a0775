package dev.warden.decision;

import dev.warden.model.GtidPosition;
import dev.warden.model.ReceiverStatus;
import dev.warden.model.ReplicaStatus;
import java.time.Duration;
import java.time.Instant;

/**
 * What a replica's receiver has been observed to get over time: heartbeat count and received position, and when
 * the manager last saw either change. With the replica's own "time since last heartbeat/event" (MySQL
 * performance_schema) it tells how long the replica has heard nothing from its source.
 *
 * @param lastChangeSeenAt when the counters last changed, by the manager's clock: the probe that saw the change,
 *                         moved back toward the probe before it (the change came after that one) by at most one
 *                         heartbeat period. A live source sends something every period, so a live replica's
 *                         silence is over-estimated by at most one period, and the limit is three.
 * @param reportedSilence  the replica's own measure at {@code readAt}, null when it has none (MariaDB)
 * @param reportedComplete the replica's measure covers both heartbeats and transactions
 */
public record ReceiverTrack(long heartbeats, GtidPosition received, Instant lastChangeSeenAt,
                            Duration reportedSilence, Instant readAt, boolean reportedComplete) {

    public static ReceiverTrack first(ReplicaStatus r, Instant readAt) {
        return new ReceiverTrack(r.receiver().heartbeatsReceived(), r.retrieved(), readAt, reported(r.receiver()),
                readAt, complete(r.receiver()));
    }

    public ReceiverTrack next(ReplicaStatus r, Instant readAt) {
        boolean changed = r.receiver().heartbeatsReceived() != heartbeats || !r.retrieved().equals(received);
        return new ReceiverTrack(r.receiver().heartbeatsReceived(), r.retrieved(),
                changed ? changedAt(this.readAt, readAt, r.receiver().heartbeatPeriod()) : lastChangeSeenAt,
                reported(r.receiver()), readAt, complete(r.receiver()));
    }

    /** The change happened in (previous, seen]; credited back at most one heartbeat period (none if unknown). */
    static Instant changedAt(Instant previous, Instant seen, Duration heartbeatPeriod) {
        if (heartbeatPeriod == null || heartbeatPeriod.isZero() || heartbeatPeriod.isNegative()
                || !previous.isBefore(seen)) {
            return seen;
        }
        Instant credited = seen.minus(heartbeatPeriod);
        return credited.isAfter(previous) ? credited : previous;
    }

    private static Duration reported(ReceiverStatus s) {
        return s.sinceLastContact();
    }

    /** Both the last heartbeat and the last queued transaction are known: the replica's measure is the whole story. */
    private static boolean complete(ReceiverStatus s) {
        return s.sinceLastHeartbeat() != null && s.sinceLastQueued() != null;
    }

    /**
     * How long, at {@code now}, the replica has received nothing: its own measure when it knows both heartbeats and
     * transactions; otherwise the shorter of its partial measure and ours (the last time we saw its counters move),
     * so a partial measure never makes a replica look cut off while its position still advances.
     */
    public Duration silence(Instant now) {
        Duration ours = nonNegative(Duration.between(lastChangeSeenAt, now));
        if (reportedSilence == null) {
            return ours;
        }
        Duration theirs = reportedSilence.plus(nonNegative(Duration.between(readAt, now)));
        return reportedComplete || theirs.compareTo(ours) < 0 ? theirs : ours;
    }

    private static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }
}
