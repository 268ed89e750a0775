package dev.warden.decision;

import dev.warden.model.Reachability;
import dev.warden.model.ServerState;
import java.time.Instant;
import java.util.Map;

/**
 * One server over time, as the manager saw it.
 *
 * @param lastState         the last state read (kept while unreachable: the last-seen GTID position, identity)
 * @param unreachableSince  first probe of the current run of failed probes (any kind); null while reachable
 * @param lastFailure       the last failed probe's class and cause; null while reachable
 * @param writeStuckSince   first heartbeat write of the current run that timed out; null otherwise
 * @param receivers         per replication channel
 * @param lostProbes        consecutive failed probes that say the server may be gone (refused, timed out, network
 *                          error); a login refused or "too many connections" proves it answers and resets this
 * @param lostSince         when the confirmation window started counting for this run: the first such probe when it
 *                          was refused or broke the connection, the second one when the run began with a timeout (a
 *                          single slow probe is not evidence); null while it does not count
 * @param lastReachability  how the last probe ended
 */
public record ServerHistory(ServerState lastState, Instant lastStateAt, Instant unreachableSince,
                            String lastFailure, Instant writeStuckSince, Map<String, ReceiverTrack> receivers,
                            int lostProbes, Instant lostSince, Reachability lastReachability) {

    public ServerHistory {
        receivers = Map.copyOf(receivers);
    }

    public boolean reachable() {
        return unreachableSince == null && lastState != null;
    }

    /** Failures that may mean the server is gone; the others (login refused, server refuses work) prove it answers. */
    public static boolean suggestsLoss(Reachability r) {
        return r == Reachability.REFUSED || r == Reachability.TIMEOUT || r == Reachability.NETWORK_ERROR;
    }
}
