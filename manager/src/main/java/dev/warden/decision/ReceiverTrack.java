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
 * @param lastChangeSeenAt manager clock of the first probe that saw the current counter and position
 * @param reportedSilence  the replica's own measure at {@code readAt}, null when it has none (MariaDB)
 */
public record ReceiverTrack(long heartbeats, GtidPosition received, Instant lastChangeSeenAt,
                            Duration reportedSilence, Instant readAt) {

    public static ReceiverTrack first(ReplicaStatus r, Instant readAt) {
        return new ReceiverTrack(r.receiver().heartbeatsReceived(), r.retrieved(), readAt, reported(r.receiver()), readAt);
    }

    public ReceiverTrack next(ReplicaStatus r, Instant readAt) {
        boolean changed = r.receiver().heartbeatsReceived() != heartbeats || !r.retrieved().equals(received);
        return new ReceiverTrack(r.receiver().heartbeatsReceived(), r.retrieved(), changed ? readAt : lastChangeSeenAt,
                reported(r.receiver()), readAt);
    }

    private static Duration reported(ReceiverStatus s) {
        return s.sinceLastContact();
    }

    /** How long, at {@code now}, the replica has received nothing: its own measure if it has one, else ours. */
    public Duration silence(Instant now) {
        if (reportedSilence != null) {
            return reportedSilence.plus(nonNegative(Duration.between(readAt, now)));
        }
        return nonNegative(Duration.between(lastChangeSeenAt, now));
    }

    private static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }
}
