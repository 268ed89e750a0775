package dev.warden.topology;

import dev.warden.model.HeartbeatObservation;
import dev.warden.model.HeartbeatRow;
import dev.warden.model.HeartbeatWrite;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Measures a replica's lag from the heartbeat row it has applied. Pure.
 *
 * <p>With the manager's write log for the primary: the replica has applied sequence {@code s}. The newest
 * logged write with a sequence of at most {@code s} was sent at {@code t1}: the replica has it, so it is at most
 * {@code readEnd - t1} behind. The oldest logged write after {@code s} was acknowledged at {@code t2}: the
 * replica lacks it, so it is at least {@code readStart - t2} behind. Both use only the manager's clock.
 * Without a log, the replica's own clock minus the row's timestamp is used (assumes synchronised clocks).
 */
public final class LagEstimator {

    private LagEstimator() {
    }

    /**
     * @param observed  the heartbeat table as read on the replica
     * @param log       the manager's writes on the primary (may be empty)
     * @param readStart manager clock before the replica was read (lower bound of the read time)
     * @param readEnd   manager clock after the replica was read (upper bound of the read time)
     * @param secondsBehind the replica's Seconds_Behind_Source, may be null
     */
    public static ReplicationLag estimate(HeartbeatObservation observed, long primaryServerId, HeartbeatLog log,
                                          Instant readStart, Instant readEnd, Long secondsBehind) {
        Optional<HeartbeatRow> row = observed == null ? Optional.empty() : observed.from(primaryServerId);
        boolean logged = log != null && log.serverId() == primaryServerId && !log.isEmpty();
        if (row.isPresent() && logged) {
            ReplicationLag fromLog = fromLog(row.get(), log, readStart, readEnd, observed);
            if (fromLog != null) {
                return fromLog;
            }
        }
        if (row.isEmpty() && logged && observed != null && observed.unavailable() == null) {
            // The replica has no heartbeat of this primary at all: it lacks even the oldest logged write.
            HeartbeatWrite first = log.writes().get(0);
            if (first.ackedAt() != null && !first.ackedAt().isAfter(readStart)) {
                return new ReplicationLag(nonNegative(Duration.between(first.ackedAt(), readStart)), null,
                        ReplicationLag.Basis.HEARTBEAT);
            }
        }
        if (row.isPresent() && observed.serverNow() != null) {
            Duration d = nonNegative(Duration.between(row.get().writtenAt(), observed.serverNow()));
            return new ReplicationLag(d, d, ReplicationLag.Basis.SERVER_CLOCK);
        }
        if (secondsBehind != null) {
            Duration d = Duration.ofSeconds(secondsBehind);
            return new ReplicationLag(d, d, ReplicationLag.Basis.SECONDS_BEHIND);
        }
        return ReplicationLag.UNKNOWN;
    }

    private static ReplicationLag fromLog(HeartbeatRow row, HeartbeatLog log, Instant readStart, Instant readEnd,
                                          HeartbeatObservation observed) {
        HeartbeatWrite newestApplied = null;
        HeartbeatWrite firstMissing = null;
        for (HeartbeatWrite w : log.writes()) {
            if (w.sequence() <= row.sequence()) {
                newestApplied = w;
            } else if (firstMissing == null && w.ackedAt() != null && !w.ackedAt().isAfter(readStart)) {
                firstMissing = w;
            }
        }
        if (newestApplied == null && firstMissing == null) {
            return null;
        }
        Duration atLeast = firstMissing == null ? Duration.ZERO
                : nonNegative(Duration.between(firstMissing.ackedAt(), readStart));
        Duration atMost;
        if (newestApplied != null) {
            atMost = nonNegative(Duration.between(newestApplied.sentAt(), readEnd));
        } else if (observed.serverNow() != null) {
            // Older than the log: fall back to the clocks for the upper bound only.
            atMost = nonNegative(Duration.between(row.writtenAt(), observed.serverNow()));
            if (atMost.compareTo(atLeast) < 0) {
                atMost = null;
            }
        } else {
            atMost = null;
        }
        return new ReplicationLag(atLeast, atMost, ReplicationLag.Basis.HEARTBEAT);
    }

    private static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }
}
