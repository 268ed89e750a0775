package dev.warden.decision;

import dev.warden.model.InstanceKey;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What operators and past operations decided for a cluster. Kept in the store, so it survives restarts.
 *
 * @param maintenance          automation suspended for the whole cluster
 * @param serversInMaintenance automation suspended for these servers (never promoted, fenced or re-pointed)
 * @param maintenanceEnds      when maintenance windows end by themselves: per server, and under {@code null}
 *                             for the whole cluster; a window without an entry lasts until switched off
 * @param antiFlapUntil        no automatic failover before this (null: none); lifted by an acknowledgement
 * @param fenced               old primaries that must stay read-only; fencing is retried until it holds
 * @param lastFailover         null when none is on record
 * @param interrupted          an operation a manager restart cut short and that was stopped in a safe state
 *                             rather than finished; reported until acknowledged (null: none)
 */
public record ClusterControls(boolean maintenance, Set<InstanceKey> serversInMaintenance,
                              Map<InstanceKey, Instant> maintenanceEnds, Instant antiFlapUntil,
                              Set<InstanceKey> fenced, FailoverRecord lastFailover, Interruption interrupted) {

    public static final ClusterControls NONE = new ClusterControls(false, Set.of(), Map.of(), null, Set.of(), null,
            null);

    /** An operation stopped after a restart: which, on which server, and what a human should do. */
    public record Interruption(String operationId, InstanceKey server, String sentence) {
    }

    public ClusterControls {
        serversInMaintenance = Set.copyOf(serversInMaintenance);
        maintenanceEnds = java.util.Collections.unmodifiableMap(new HashMap<>(maintenanceEnds));
        fenced = Set.copyOf(fenced);
    }

    public boolean antiFlapActive(Instant now) {
        return antiFlapUntil != null && now.isBefore(antiFlapUntil);
    }

    /** Maintenance for the whole cluster on or off; {@code until} null: until switched off. */
    public ClusterControls withMaintenance(boolean on, Instant until) {
        Map<InstanceKey, Instant> ends = new HashMap<>(maintenanceEnds);
        ends.remove(null);
        if (on && until != null) {
            ends.put(null, until);
        }
        return new ClusterControls(on, serversInMaintenance, ends, antiFlapUntil, fenced, lastFailover, interrupted);
    }

    public ClusterControls withMaintenance(boolean on) {
        return withMaintenance(on, null);
    }

    public ClusterControls withServerMaintenance(InstanceKey key, boolean on, Instant until) {
        Set<InstanceKey> s = new HashSet<>(serversInMaintenance);
        Map<InstanceKey, Instant> ends = new HashMap<>(maintenanceEnds);
        ends.remove(key);
        if (on) {
            s.add(key);
            if (until != null) {
                ends.put(key, until);
            }
        } else {
            s.remove(key);
        }
        return new ClusterControls(maintenance, s, ends, antiFlapUntil, fenced, lastFailover, interrupted);
    }

    public ClusterControls withServerMaintenance(InstanceKey key, boolean on) {
        return withServerMaintenance(key, on, null);
    }

    /** Lifts the anti-flap block and clears a reported interruption. */
    public ClusterControls acknowledged() {
        return new ClusterControls(maintenance, serversInMaintenance, maintenanceEnds, null, fenced, lastFailover,
                null);
    }

    public ClusterControls afterFailover(FailoverRecord record, Instant antiFlapUntil) {
        Set<InstanceKey> f = new HashSet<>(fenced);
        f.add(record.oldPrimary());
        f.remove(record.newPrimary());
        return new ClusterControls(maintenance, serversInMaintenance, maintenanceEnds, antiFlapUntil, f, record,
                interrupted);
    }

    public ClusterControls unfenced(InstanceKey key) {
        Set<InstanceKey> f = new HashSet<>(fenced);
        f.remove(key);
        return new ClusterControls(maintenance, serversInMaintenance, maintenanceEnds, antiFlapUntil, f, lastFailover,
                interrupted);
    }

    /** The fenced old primaries as the store has them now. */
    public ClusterControls withFenced(Set<InstanceKey> now) {
        return new ClusterControls(maintenance, serversInMaintenance, maintenanceEnds, antiFlapUntil, now, lastFailover,
                interrupted);
    }

    public ClusterControls withInterruption(Interruption i) {
        return new ClusterControls(maintenance, serversInMaintenance, maintenanceEnds, antiFlapUntil, fenced,
                lastFailover, i);
    }

    /** Maintenance windows whose end has passed: {@code null} in the result stands for the whole cluster. */
    public Set<InstanceKey> expiredMaintenance(Instant now) {
        Set<InstanceKey> out = new HashSet<>();
        maintenanceEnds.forEach((k, end) -> {
            if (!now.isBefore(end)) {
                out.add(k);
            }
        });
        return out;
    }
}
