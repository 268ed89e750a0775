package dev.warden.model;

import java.time.Instant;

/**
 * One row of {@code warden.heartbeat}: the primary with {@code server_id} wrote heartbeat number
 * {@code sequence} at {@code writtenAt} (the primary's clock).
 */
public record HeartbeatRow(long serverId, long sequence, Instant writtenAt) {
}
