package dev.warden.decision;

import dev.warden.model.ServerState;
import java.time.Instant;
import java.util.Map;

/**
 * One server over time, as the manager saw it.
 *
 * @param lastState         the last state read (kept while unreachable: the last-seen GTID position, identity)
 * @param unreachableSince  first probe of the current run of failed probes; null while reachable
 * @param writeStuckSince   first heartbeat write of the current run that timed out; null otherwise
 * @param receivers         per replication channel
 */
public record ServerHistory(ServerState lastState, Instant lastStateAt, Instant unreachableSince,
                            String lastFailure, Instant writeStuckSince, Map<String, ReceiverTrack> receivers) {

    public ServerHistory {
        receivers = Map.copyOf(receivers);
    }

    public boolean reachable() {
        return unreachableSince == null && lastState != null;
    }
}
