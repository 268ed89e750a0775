package dev.warden.decision;

import dev.warden.model.ClusterSnapshot;
import dev.warden.model.HeartbeatWrite;
import dev.warden.model.InstanceKey;
import dev.warden.model.InstanceSnapshot;
import dev.warden.model.Reachability;
import dev.warden.model.ReplicaStatus;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** Every server's history, advanced one snapshot at a time. Pure. */
public record ClusterHistory(Map<InstanceKey, ServerHistory> servers) {

    public static final ClusterHistory EMPTY = new ClusterHistory(Map.of());

    public ClusterHistory {
        servers = Collections.unmodifiableMap(new LinkedHashMap<>(servers));
    }

    public ServerHistory of(InstanceKey key) {
        return servers.get(key);
    }

    public ClusterHistory next(ClusterSnapshot snapshot) {
        Map<InstanceKey, ServerHistory> out = new LinkedHashMap<>(servers);
        for (InstanceSnapshot s : snapshot.all()) {
            out.put(s.key(), advance(servers.get(s.key()), s));
        }
        return new ClusterHistory(out);
    }

    private static ServerHistory advance(ServerHistory prev, InstanceSnapshot s) {
        Instant at = s.probedAt();
        if (!s.reachable()) {
            Instant since = prev != null && prev.unreachableSince() != null ? prev.unreachableSince() : at;
            int lost = 0;
            Instant lostSince = null;
            if (s.awaitingPrevious() && prev != null) {
                // Still waiting for the probe sent before: one probe, not two (a timeout needs more than one).
                lost = prev.lostProbes();
                lostSince = prev.lostSince();
            } else if (ServerHistory.suggestsLoss(s.reachability())) {
                lost = (prev == null ? 0 : prev.lostProbes()) + 1;
                if (lost == 1) {
                    lostSince = s.reachability() == Reachability.TIMEOUT ? null : at;
                } else {
                    lostSince = prev.lostSince() != null ? prev.lostSince() : at;
                }
            }
            return new ServerHistory(prev == null ? null : prev.lastState(), prev == null ? null : prev.lastStateAt(),
                    since, s.reachability().display() + ": " + s.error(),
                    prev == null ? null : prev.writeStuckSince(), prev == null ? Map.of() : prev.receivers(),
                    lost, lostSince, s.reachability());
        }
        Instant readAt = s.probedAt().plus(s.latency());
        Map<String, ReceiverTrack> receivers = new HashMap<>();
        for (ReplicaStatus r : s.state().replication()) {
            ReceiverTrack before = prev == null ? null : prev.receivers().get(r.channel());
            receivers.put(r.channel(), before == null ? ReceiverTrack.first(r, readAt) : before.next(r, readAt));
        }
        // Only a write that went through clears a stuck write; a probe without a write attempt (the re-check under the
        // cluster lock, a cycle that had no heartbeat target) keeps the evidence.
        HeartbeatWrite w = s.heartbeatWrite();
        Instant before = prev == null ? null : prev.writeStuckSince();
        Instant stuck = before;
        if (w != null && w.outcome() == HeartbeatWrite.Outcome.TIMED_OUT) {
            stuck = before != null ? before : w.sentAt();
        } else if (w != null && w.outcome() == HeartbeatWrite.Outcome.WRITTEN) {
            stuck = null;
        } else if (!s.state().readOnly().writable() || s.state().isReplica()) {
            stuck = null; // no longer a server whose writes are expected
        }
        return new ServerHistory(s.state(), readAt, null, null, stuck, receivers, 0, null, Reachability.REACHABLE);
    }
}
