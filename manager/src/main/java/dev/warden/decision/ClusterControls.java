package dev.warden.decision;

import dev.warden.model.InstanceKey;
import java.time.Instant;
import java.util.Set;

/**
 * What operators and past operations decided for a cluster.
 *
 * @param maintenance          automation suspended for the whole cluster
 * @param serversInMaintenance automation suspended for these servers (never promoted, fenced or re-pointed)
 * @param antiFlapUntil        no automatic failover before this (null: none); lifted by an acknowledgement
 * @param fenced               old primaries that must stay read-only; fencing is retried until it holds
 * @param lastFailover         null when none happened since the manager started
 */
public record ClusterControls(boolean maintenance, Set<InstanceKey> serversInMaintenance, Instant antiFlapUntil,
                              Set<InstanceKey> fenced, FailoverRecord lastFailover) {

    public static final ClusterControls NONE = new ClusterControls(false, Set.of(), null, Set.of(), null);

    public ClusterControls {
        serversInMaintenance = Set.copyOf(serversInMaintenance);
        fenced = Set.copyOf(fenced);
    }

    public boolean antiFlapActive(Instant now) {
        return antiFlapUntil != null && now.isBefore(antiFlapUntil);
    }

    public ClusterControls withMaintenance(boolean on) {
        return new ClusterControls(on, serversInMaintenance, antiFlapUntil, fenced, lastFailover);
    }

    public ClusterControls withServerMaintenance(InstanceKey key, boolean on) {
        java.util.Set<InstanceKey> s = new java.util.HashSet<>(serversInMaintenance);
        if (on) s.add(key); else s.remove(key);
        return new ClusterControls(maintenance, s, antiFlapUntil, fenced, lastFailover);
    }

    public ClusterControls acknowledged() {
        return new ClusterControls(maintenance, serversInMaintenance, null, fenced, lastFailover);
    }

    public ClusterControls afterFailover(FailoverRecord record, Instant antiFlapUntil) {
        java.util.Set<InstanceKey> f = new java.util.HashSet<>(fenced);
        f.add(record.oldPrimary());
        f.remove(record.newPrimary());
        return new ClusterControls(maintenance, serversInMaintenance, antiFlapUntil, f, record);
    }

    public ClusterControls unfenced(InstanceKey key) {
        java.util.Set<InstanceKey> f = new java.util.HashSet<>(fenced);
        f.remove(key);
        return new ClusterControls(maintenance, serversInMaintenance, antiFlapUntil, f, lastFailover);
    }
}
