package dev.warden.store;

import dev.warden.actions.Operation;
import dev.warden.decision.ClusterControls;
import dev.warden.decision.FailoverRecord;
import dev.warden.model.InstanceKey;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * Operator controls and what past failovers left behind, per cluster: maintenance windows, acknowledgements,
 * the anti-flap block and the fenced old primaries. {@link #load} rebuilds a cluster's {@link ClusterControls}
 * after a restart. Writes throw {@link StoreException}: a control that cannot be kept must not look accepted.
 */
public final class ControlStore {

    private final Store store;

    /** A maintenance window as kept; {@code server} null for the whole cluster. */
    public record MaintenanceRecord(long id, String cluster, String server, String who, String source, String reason,
                                    Instant startedAt, Instant endsAt, Instant endedAt, String endedBy) {
    }

    /** An acknowledgement as kept, with what it lifted. */
    public record AcknowledgementRecord(String cluster, String who, String source, Instant at, String lifted) {
    }

    ControlStore(Store store) {
        this.store = store;
    }

    /** The controls of {@code cluster} as the store has them (maintenance that ended by now is left out). */
    public ClusterControls load(String cluster, Instant now) {
        Instant lastAck = lastAcknowledgement(cluster).orElse(null);
        ClusterControls.Interruption interrupted = store.operations().interruptedSince(cluster, lastAck)
                .map(ControlStore::interruption).orElse(null);
        return store.jdbi.withHandle(h -> {
            boolean clusterMaintenance = false;
            Set<InstanceKey> servers = new HashSet<>();
            Map<InstanceKey, Instant> ends = new HashMap<>();
            for (MaintenanceRecord m : openWindows(h, cluster)) {
                if (m.endsAt() != null && !now.isBefore(m.endsAt())) {
                    continue;
                }
                InstanceKey k = m.server() == null ? null : InstanceKey.parse(m.server());
                if (k == null) {
                    clusterMaintenance = true;
                } else {
                    servers.add(k);
                }
                if (m.endsAt() != null) {
                    ends.put(k, m.endsAt());
                }
            }
            Instant antiFlap = null;
            FailoverRecord last = null;
            var state = h.createQuery("SELECT * FROM cluster_state WHERE cluster = :c").bind("c", cluster)
                    .mapToMap().findOne();
            if (state.isPresent()) {
                Map<String, Object> s = state.get();
                antiFlap = instant(s.get("anti_flap_until"));
                if (s.get("last_failover_op") != null) {
                    last = new FailoverRecord((String) s.get("last_failover_op"),
                            InstanceKey.parse((String) s.get("last_failover_old")),
                            InstanceKey.parse((String) s.get("last_failover_new")), instant(s.get("last_failover_at")));
                }
            }
            Set<InstanceKey> fenced = new HashSet<>(h.createQuery("SELECT server FROM fenced_servers WHERE cluster = :c")
                    .bind("c", cluster).mapTo(String.class).map(InstanceKey::parse).list());
            return new ClusterControls(clusterMaintenance, servers, ends, antiFlap, fenced, last, interrupted);
        });
    }

    public static ClusterControls.Interruption interruption(Operation op) {
        InstanceKey server = op.plan().candidate() != null ? op.plan().candidate() : op.plan().oldPrimary();
        return new ClusterControls.Interruption(op.id(), server, op.summary());
    }

    private static Instant instant(Object millis) {
        return millis == null ? null : Instant.ofEpochMilli(((Number) millis).longValue());
    }

    private static List<MaintenanceRecord> openWindows(Handle h, String cluster) {
        return h.createQuery("SELECT * FROM maintenance_windows WHERE cluster = :c AND ended_at IS NULL ORDER BY id")
                .bind("c", cluster).map((rs, ctx) -> maintenance(rs)).list();
    }

    private static MaintenanceRecord maintenance(java.sql.ResultSet rs) throws java.sql.SQLException {
        String server = rs.getString("server");
        return new MaintenanceRecord(rs.getLong("id"), rs.getString("cluster"), server.isEmpty() ? null : server,
                rs.getString("who"), rs.getString("source"), rs.getString("reason"),
                OperationStore.instant(rs, "started_at"), OperationStore.instant(rs, "ends_at"),
                OperationStore.instant(rs, "ended_at"), rs.getString("ended_by"));
    }

    /** Starts (replacing an open one) or ends maintenance of a cluster ({@code server} null) or one server. */
    public void maintenance(String cluster, InstanceKey server, boolean on, Instant until, String who, String source,
                            String reason, Instant now) {
        String s = server == null ? "" : server.toString();
        write("recording maintenance of " + cluster, h -> {
            h.createUpdate("UPDATE maintenance_windows SET ended_at = :now, ended_by = :who WHERE cluster = :c AND "
                            + "server = :s AND ended_at IS NULL").bind("now", now.toEpochMilli()).bind("who", who)
                    .bind("c", cluster).bind("s", s).execute();
            if (on) {
                h.createUpdate("INSERT INTO maintenance_windows (cluster, server, who, source, reason, started_at, "
                                + "ends_at) VALUES (:c, :s, :who, :source, :reason, :now, :ends)")
                        .bind("c", cluster).bind("s", s).bind("who", who).bind("source", source).bind("reason", reason)
                        .bind("now", now.toEpochMilli()).bind("ends", OperationStore.millis(until)).execute();
            }
        });
    }

    /** Closes a window whose end time passed. */
    public void expired(String cluster, InstanceKey server, Instant now) {
        String s = server == null ? "" : server.toString();
        write("ending expired maintenance of " + cluster, h -> h.createUpdate("UPDATE maintenance_windows SET "
                        + "ended_at = ends_at, ended_by = 'expired' WHERE cluster = :c AND server = :s AND ended_at IS "
                        + "NULL AND ends_at IS NOT NULL AND ends_at <= :now").bind("c", cluster).bind("s", s)
                .bind("now", now.toEpochMilli()).execute());
    }

    public void acknowledged(String cluster, String who, String source, String lifted, Instant now) {
        write("recording the acknowledgement of " + cluster, h -> {
            h.createUpdate("INSERT INTO acknowledgements (cluster, who, source, at, lifted) VALUES (:c, :who, :source, "
                            + ":at, :lifted)").bind("c", cluster).bind("who", who).bind("source", source)
                    .bind("at", now.toEpochMilli()).bind("lifted", lifted).execute();
            upsertState(h, cluster, now, "anti_flap_until = NULL", Map.of());
        });
    }

    /** After a promotion: the block until {@code antiFlapUntil}, the old primary fenced, the new one not. */
    public void failedOver(String cluster, FailoverRecord record, Instant antiFlapUntil, Instant now) {
        write("recording the failover of " + cluster, h -> {
            Map<String, Object> v = new HashMap<>();
            v.put("until", OperationStore.millis(antiFlapUntil));
            v.put("op", record.operationId());
            v.put("old", record.oldPrimary().toString());
            v.put("new", record.newPrimary().toString());
            v.put("at", record.at().toEpochMilli());
            upsertState(h, cluster, now, "anti_flap_until = :until, last_failover_op = :op, last_failover_old = :old, "
                    + "last_failover_new = :new, last_failover_at = :at", v);
            h.createUpdate("DELETE FROM fenced_servers WHERE cluster = :c AND server IN (:old, :new)")
                    .bind("c", cluster).bind("old", record.oldPrimary().toString())
                    .bind("new", record.newPrimary().toString()).execute();
            h.createUpdate("INSERT INTO fenced_servers (cluster, server, operation_id, since) VALUES (:c, :s, :op, :at)")
                    .bind("c", cluster).bind("s", record.oldPrimary().toString()).bind("op", record.operationId())
                    .bind("at", now.toEpochMilli()).execute();
        });
    }

    /**
     * Before a failover promotes: its old primary must stay fenced from now on, whatever happens to this manager.
     * Throws {@link StoreException} when it cannot be kept (then nothing is promoted).
     */
    public void fenceObligation(String cluster, InstanceKey oldPrimary, String operationId, Instant now) {
        write("recording that " + oldPrimary + " must stay fenced", h -> {
            h.createUpdate("DELETE FROM fenced_servers WHERE cluster = :c AND server = :s").bind("c", cluster)
                    .bind("s", oldPrimary.toString()).execute();
            h.createUpdate("INSERT INTO fenced_servers (cluster, server, operation_id, since) VALUES (:c, :s, :op, :at)")
                    .bind("c", cluster).bind("s", oldPrimary.toString()).bind("op", operationId)
                    .bind("at", now.toEpochMilli()).execute();
        });
    }

    /** A failover that kept {@link #fenceObligation} ended without promoting: its obligation goes (only its own). */
    public void dropObligation(String cluster, InstanceKey oldPrimary, String operationId) {
        write("recording that " + oldPrimary + " no longer needs fencing", h -> h.createUpdate(
                        "DELETE FROM fenced_servers WHERE cluster = :c AND server = :s AND operation_id = :op")
                .bind("c", cluster).bind("s", oldPrimary.toString()).bind("op", operationId).execute());
    }

    /** The servers the store says must stay fenced. */
    public java.util.Set<InstanceKey> fenced(String cluster) {
        return store.jdbi.withHandle(h -> new HashSet<>(h.createQuery("SELECT server FROM fenced_servers WHERE "
                + "cluster = :c").bind("c", cluster).mapTo(String.class).map(InstanceKey::parse).list()));
    }

    public void unfenced(String cluster, InstanceKey server) {
        write("recording that " + server + " is no longer fenced", h -> h.createUpdate(
                        "DELETE FROM fenced_servers WHERE cluster = :c AND server = :s").bind("c", cluster)
                .bind("s", server.toString()).execute());
    }

    private static void upsertState(Handle h, String cluster, Instant now, String set, Map<String, Object> values) {
        var update = h.createUpdate("UPDATE cluster_state SET " + set + ", updated_at = :now WHERE cluster = :c")
                .bind("now", now.toEpochMilli()).bind("c", cluster);
        values.forEach(update::bind);
        if (update.execute() == 0) {
            h.createUpdate("INSERT INTO cluster_state (cluster, updated_at) VALUES (:c, :now)").bind("c", cluster)
                    .bind("now", now.toEpochMilli()).execute();
            var again = h.createUpdate("UPDATE cluster_state SET " + set + " WHERE cluster = :c").bind("c", cluster);
            values.forEach(again::bind);
            again.execute();
        }
    }

    private void write(String what, java.util.function.Consumer<Handle> work) {
        try {
            store.jdbi.useTransaction(work::accept);
            store.wrote();
        } catch (RuntimeException e) {
            store.failed(what, e);
            throw new StoreException("cannot keep this in the store " + store.settings().display() + " ("
                    + Store.rootMessage(e) + "); nothing was changed", e);
        }
    }

    // ---- history ----------------------------------------------------------------------------------------

    /** Newest first. */
    public List<MaintenanceRecord> maintenanceHistory(String cluster, int limit) {
        return store.jdbi.withHandle(h -> h.createQuery("SELECT * FROM maintenance_windows WHERE cluster = :c "
                        + "ORDER BY id DESC LIMIT :limit").bind("c", cluster).bind("limit", limit)
                .map((rs, ctx) -> maintenance(rs)).list());
    }

    /** Newest first. */
    public List<AcknowledgementRecord> acknowledgements(String cluster, int limit) {
        return store.jdbi.withHandle(h -> h.createQuery("SELECT * FROM acknowledgements WHERE cluster = :c "
                        + "ORDER BY id DESC LIMIT :limit").bind("c", cluster).bind("limit", limit)
                .map((rs, ctx) -> new AcknowledgementRecord(rs.getString("cluster"), rs.getString("who"),
                        rs.getString("source"), Instant.ofEpochMilli(rs.getLong("at")), rs.getString("lifted")))
                .list());
    }

    Optional<Instant> lastAcknowledgement(String cluster) {
        return store.jdbi.withHandle(h -> h.createQuery("SELECT MAX(at) FROM acknowledgements WHERE cluster = :c")
                .bind("c", cluster).mapTo(Long.class).findOne().map(Instant::ofEpochMilli));
    }
}
