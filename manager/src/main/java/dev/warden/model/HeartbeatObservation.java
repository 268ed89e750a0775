package dev.warden.model;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The heartbeat table as read on one server.
 *
 * @param rows        every row of {@code warden.heartbeat}; empty when unavailable
 * @param serverNow   the server's {@code NOW(6)} in the same read, null when unavailable
 * @param sentAt      manager clock when the read was sent (null when unavailable)
 * @param receivedAt  manager clock when its result arrived (null when unavailable)
 * @param unavailable why the table could not be read (missing table, missing grant), null when it was read
 */
public record HeartbeatObservation(List<HeartbeatRow> rows, Instant serverNow, Instant sentAt, Instant receivedAt,
                                   String unavailable) {

    public HeartbeatObservation {
        rows = List.copyOf(rows);
    }

    public static HeartbeatObservation unavailable(String reason) {
        return new HeartbeatObservation(List.of(), null, null, null, reason);
    }

    public Optional<HeartbeatRow> from(long primaryServerId) {
        return rows.stream().filter(r -> r.serverId() == primaryServerId).findFirst();
    }
}
