package dev.warden.decision;

import dev.warden.model.BinlogCoordinates;
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
public record ReceiverTrack(long heartbeats, GtidPosition received, BinlogCoordinates read,
                            Instant lastChangeSeenAt, Duration reportedSilence, Instant readAt,
                            boolean reportedComplete) {

    /**
     * The first look: with no change seen yet, the last contact is taken to be the one the replica's complete
     * measure names (else this look).
     */
    public static ReceiverTrack first(ReplicaStatus r, Instant readAt) {
        Duration reported = reported(r.receiver());
        boolean complete = complete(r.receiver());
        Instant last = complete && reported != null ? readAt.minus(nonNegative(reported)) : readAt;
        return new ReceiverTrack(r.receiver().heartbeatsReceived(), r.retrieved(), r.receivedCoordinates(), last,
                reported, readAt, complete);
    }

    /**
     * A change of the heartbeat count, of the received transactions, or of how far the receiver read the source's
     * binlog is contact: while one large transaction streams in, the source sends no heartbeat and no transaction
     * completes, but the read position moves with every event.
     */
    public ReceiverTrack next(ReplicaStatus r, Instant readAt) {
        boolean changed = r.receiver().heartbeatsReceived() != heartbeats || !r.retrieved().equals(received)
                || !java.util.Objects.equals(r.receivedCoordinates(), read);
        return new ReceiverTrack(r.receiver().heartbeatsReceived(), r.retrieved(), r.receivedCoordinates(),
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
     * How long, at {@code now}, the replica has received nothing: the shorter of its own measure (MySQL: since the
     * last heartbeat or queued transaction) and ours (the last time we saw its counters or read position move), so
     * that no measure makes a replica look cut off while something still arrives (a large transaction streaming in
     * moves neither the server's timestamps nor its counters, only the read position).
     */
    public Duration silence(Instant now) {
        Duration ours = nonNegative(Duration.between(lastChangeSeenAt, now));
        if (reportedSilence == null) {
            return ours;
        }
        Duration theirs = reportedSilence.plus(nonNegative(Duration.between(readAt, now)));
        return theirs.compareTo(ours) < 0 ? theirs : ours;
    }

    private static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }
}
