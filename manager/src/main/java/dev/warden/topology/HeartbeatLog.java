package dev.warden.topology;

import dev.warden.model.HeartbeatWrite;
import java.util.ArrayList;
import java.util.List;

/**
 * The manager's recent successful heartbeat writes on one primary, oldest first, bounded in length.
 * Immutable: {@link #with} returns a new log.
 */
public record HeartbeatLog(long serverId, List<HeartbeatWrite> writes) {

    public static final int MAX_ENTRIES = 300;

    public HeartbeatLog {
        writes = List.copyOf(writes);
    }

    public static HeartbeatLog empty(long serverId) {
        return new HeartbeatLog(serverId, List.of());
    }

    /** This log plus {@code write} if it succeeded on this log's server; a write on another server starts a new log. */
    public HeartbeatLog with(HeartbeatWrite write) {
        if (write == null || !write.written()) {
            return this;
        }
        if (write.serverId() != serverId) {
            return new HeartbeatLog(write.serverId(), List.of(write));
        }
        List<HeartbeatWrite> next = new ArrayList<>(writes.size() + 1);
        int from = Math.max(0, writes.size() + 1 - MAX_ENTRIES);
        next.addAll(writes.subList(from, writes.size()));
        next.add(write);
        return new HeartbeatLog(serverId, next);
    }

    public boolean isEmpty() {
        return writes.isEmpty();
    }
}
