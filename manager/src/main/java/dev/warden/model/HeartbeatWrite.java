package dev.warden.model;

import java.time.Duration;
import java.time.Instant;

/**
 * The manager's write probe on a primary: one heartbeat row update.
 *
 * @param sequence the row's sequence after the write (0 unless WRITTEN)
 * @param sentAt   manager clock when the statement was sent
 * @param ackedAt  manager clock when the commit was acknowledged (null unless WRITTEN)
 * @param detail   why it failed or was skipped; null when written
 */
public record HeartbeatWrite(Outcome outcome, long serverId, long sequence, Instant sentAt, Instant ackedAt,
                             String detail) {

    public enum Outcome {
        WRITTEN,
        /** The write did not complete within the write timeout: the primary may be hung. */
        TIMED_OUT,
        /** The server refused or the connection failed. */
        FAILED,
        /** Not attempted, e.g. the server is read-only or not the primary. */
        SKIPPED
    }

    public static HeartbeatWrite written(long serverId, long sequence, Instant sentAt, Instant ackedAt) {
        return new HeartbeatWrite(Outcome.WRITTEN, serverId, sequence, sentAt, ackedAt, null);
    }

    public static HeartbeatWrite failed(Outcome outcome, long serverId, Instant sentAt, String detail) {
        return new HeartbeatWrite(outcome, serverId, 0, sentAt, null, detail);
    }

    public static HeartbeatWrite skipped(String why) {
        return new HeartbeatWrite(Outcome.SKIPPED, 0, 0, null, null, why);
    }

    public boolean written() {
        return outcome == Outcome.WRITTEN;
    }

    public Duration latency() {
        return ackedAt == null || sentAt == null ? null : Duration.between(sentAt, ackedAt);
    }
}
