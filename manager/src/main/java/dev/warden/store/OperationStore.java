package dev.warden.store;

import dev.warden.actions.Operation;
import dev.warden.actions.OperationJournal;
import dev.warden.actions.StepRecord;
import dev.warden.actions.StepStatus;
import dev.warden.hooks.HookOutcome;
import dev.warden.plan.Plan;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Operations as they happen: the row and its planned steps before anything runs, each step before and after it
 * runs, hook outcomes, and the end. Opening must succeed (no record, no action); a later write that fails is
 * logged and the operation goes on, since stopping half-way through a failover is worse than a gap in its record.
 */
public final class OperationStore implements OperationJournal, dev.warden.actions.OperationLog.History {

    private final Store store;
    private final String manager;

    OperationStore(Store store, String manager) {
        this.store = store;
        this.manager = manager;
    }

    @Override
    public void opened(Operation op) {
        Plan p = op.plan();
        try {
            store.jdbi.useTransaction(h -> {
                guard(h, op);
                h.createUpdate("INSERT INTO operations (id, cluster, kind, started_by, trigger_text, "
                                + "old_primary, candidate, data_loss_bound, plan_json, evidence_json, started_at, "
                                + "outcome, summary, manager) VALUES (:id, :cluster, :kind, :by, :trigger, "
                                + ":old, :candidate, :loss, :plan, :evidence, :at, :outcome, :summary, :manager)")
                        .bind("id", op.id()).bind("cluster", p.cluster()).bind("kind", p.kind().name())
                        .bind("by", op.startedBy())
                        .bind("trigger", p.trigger() == null ? "" : p.trigger())
                        .bind("old", key(p.oldPrimary())).bind("candidate", key(p.candidate()))
                        .bind("loss", p.knownMissing()).bind("plan", PlanCodec.plan(p))
                        .bind("evidence", PlanCodec.votes(op.evidence())).bind("at", op.startedAt().toEpochMilli())
                        .bind("outcome", op.outcome().name()).bind("summary", op.summary()).bind("manager", manager)
                        .execute();
                for (StepRecord r : op.steps()) {
                    insertStep(h, op.id(), r);
                }
            });
            store.wrote();
        } catch (dev.warden.actions.StepGuard.Refused superseded) {
            throw superseded;
        } catch (RuntimeException e) {
            store.failed("recording operation " + op.id(), e);
            throw new StoreException("cannot record " + op.id() + " (" + p.summary() + ") in the store "
                    + store.settings().display() + ": " + Store.rootMessage(e) + "; it was not started", e);
        }
    }

    @Override
    public void step(Operation op, StepRecord r) {
        // One statement, committed by the server on its own (autocommit): the epoch is checked in it, and no lock
        // outlives it, so a manager paused (SIGSTOP) at any point holds nothing another one waits for.
        write("recording step " + (r.index() + 1) + " of " + op.id(), h -> {
            int n = h.createUpdate("UPDATE operation_steps SET status = :status, detail = :detail, started_at = "
                            + ":started, ended_at = :ended, effective_at = :effective WHERE operation_id = :op AND "
                            + "idx = :idx" + newestEpoch(op))
                    .bind("status", r.status().name()).bind("detail", r.detail())
                    .bind("started", millis(r.startedAt())).bind("ended", millis(r.endedAt()))
                    .bind("effective", millis(r.effectiveAt())).bind("op", op.id()).bind("idx", r.index())
                    .bind("cluster", op.plan().cluster()).bind("epoch", op.epoch())
                    .execute();
            if (n == 0) {
                guard(h, op); // refused by the epoch, or a step not recorded yet (an undo step)
                insertStep(h, op.id(), r);
            }
        });
    }

    @Override
    public void hooks(Operation op, List<HookOutcome> outcomes) {
        long at = store.clock().millis();
        write("recording hook outcomes of " + op.id(), h -> {
            for (HookOutcome o : outcomes) {
                h.createUpdate("INSERT INTO hook_outcomes (operation_id, hook, event, status, attempts, millis, gate, "
                                + "detail, recorded_at) VALUES (:op, :hook, :event, :status, :attempts, :millis, "
                                + ":gate, :detail, :at)")
                        .bind("op", op.id()).bind("hook", o.hook()).bind("event", o.event())
                        .bind("status", o.status().name()).bind("attempts", o.attempts())
                        .bind("millis", o.took().toMillis()).bind("gate", o.gate() ? 1 : 0).bind("detail", o.detail())
                        .bind("at", at).execute();
            }
        });
    }

    @Override
    public void finished(Operation op) {
        write("recording the end of " + op.id(), h -> {
            int n = h.createUpdate("UPDATE operations SET outcome = :outcome, ended_at = :ended, summary = :summary, "
                            + "write_pause_ms = :pause WHERE id = :id" + newestEpoch(op))
                    .bind("outcome", op.outcome().name()).bind("ended", millis(op.endedAt()))
                    .bind("summary", op.summary())
                    .bind("pause", op.writePause() == null ? null : op.writePause().toMillis()).bind("id", op.id())
                    .bind("cluster", op.plan().cluster()).bind("epoch", op.epoch())
                    .execute();
            if (n == 0) {
                guard(h, op);
            }
        });
    }

    /**
     * Statements run one by one, each committed on its own: no transaction is held across round trips, so a manager
     * paused between two of them holds no lock another one waits for. A failure is logged; a refusal by the epoch
     * is thrown.
     */
    private void write(String what, java.util.function.Consumer<Handle> work) {
        try {
            store.jdbi.useHandle(work::accept);
            store.wrote();
        } catch (dev.warden.actions.StepGuard.Refused superseded) {
            throw superseded;
        } catch (RuntimeException e) {
            store.failed(what, e);
        }
    }

    /**
     * The condition that no newer leadership claimed the operation's cluster (binds {@code cluster}, {@code epoch});
     * none for an operation without an epoch (alone, break-glass).
     */
    private static String newestEpoch(Operation op) {
        return op.epoch() <= 0 ? "" : " AND NOT EXISTS (SELECT 1 FROM cluster_terms WHERE cluster = :cluster AND "
                + "epoch > :epoch)";
    }

    /** The epoch the shared journal knows for {@code cluster}; 0 when no leader claimed it yet. */
    public long term(String cluster) {
        return store.jdbi.withHandle(h -> h.createQuery("SELECT epoch FROM cluster_terms WHERE cluster = :c")
                .bind("c", cluster).mapTo(Long.class).findOne().orElse(0L));
    }

    /**
     * This manager leads {@code cluster} under {@code epoch}: raised in the shared journal before it reads what the
     * previous leader left, so that no record of an earlier leadership can be written after that read.
     *
     * @throws StoreException when the journal already knows a newer epoch (this leadership is not the newest: its
     *                        ZooKeeper counter is behind, e.g. after ZooKeeper's data was reset), or cannot be written
     */
    public void claim(String cluster, long epoch) {
        long known;
        try {
            // One statement each, committed on its own: no lock is held across round trips (see step()).
            known = store.jdbi.withHandle(h -> {
                int raised = h.createUpdate("UPDATE cluster_terms SET epoch = :e, manager = :m, claimed_at = :at "
                                + "WHERE cluster = :c AND epoch < :e").bind("c", cluster).bind("e", epoch)
                        .bind("m", manager).bind("at", store.clock().millis()).execute();
                if (raised == 0) {
                    try {
                        h.createUpdate("INSERT INTO cluster_terms (cluster, epoch, manager, claimed_at) SELECT :c, :e, "
                                        + ":m, :at FROM warden_schema WHERE version = 1 AND NOT EXISTS (SELECT 1 FROM "
                                        + "cluster_terms WHERE cluster = :c)").bind("c", cluster).bind("e", epoch)
                                .bind("m", manager).bind("at", store.clock().millis()).execute();
                    } catch (RuntimeException duplicate) {
                        // another manager inserted the row at the same moment: what it holds is read below
                    }
                }
                return h.createQuery("SELECT epoch FROM cluster_terms WHERE cluster = :c").bind("c", cluster)
                        .mapTo(Long.class).findOne().orElse(0L);
            });
            store.wrote();
        } catch (RuntimeException e) {
            store.failed("claiming epoch " + epoch + " of cluster " + cluster, e);
            throw new StoreException("cannot record epoch " + epoch + " of cluster " + cluster + " in the store "
                    + store.settings().display() + ": " + Store.rootMessage(e), e);
        }
        if (known > epoch) {
            throw new StoreException("the shared journal already knows epoch " + known + " of cluster " + cluster
                    + ", newer than this leadership's " + epoch + ": ZooKeeper's epoch counter is behind the journal "
                    + "(was its data reset?); no manager can act on the cluster until its epoch passes " + known);
        }
        if (known < epoch) {
            throw new StoreException("epoch " + epoch + " of cluster " + cluster + " could not be recorded in the "
                    + "store " + store.settings().display() + " (it holds " + known + ")");
        }
    }

    /**
     * Refuses a record of an operation whose leadership is no longer the newest one the journal knows (with several
     * managers; alone and break-glass operations have no epoch to check). A plain read, without locks: a lock on the
     * term row held by a transaction of a paused manager would stop every other manager's claim.
     */
    private void guard(Handle h, Operation op) {
        long e = op.epoch();
        if (e <= 0) {
            return;
        }
        Long now = h.createQuery("SELECT epoch FROM cluster_terms WHERE cluster = :c")
                .bind("c", op.plan().cluster()).mapTo(Long.class).findOne().orElse(null);
        if (now != null && now > e) {
            throw new dev.warden.actions.StepGuard.Refused("the shared journal knows epoch " + now + " of cluster "
                    + op.plan().cluster() + ", newer than this operation's " + e + ": another manager leads it now, "
                    + "so this record of " + op.id() + " was not written");
        }
    }

    private static void insertStep(Handle h, String op, StepRecord r) {
        h.createUpdate("INSERT INTO operation_steps (operation_id, idx, kind, server, description, is_undo, "
                        + "step_json, status, detail, started_at, ended_at, effective_at) VALUES (:op, :idx, :kind, "
                        + ":server, :description, :undo, :json, :status, :detail, :started, :ended, :effective)")
                .bind("op", op).bind("idx", r.index()).bind("kind", r.step().kind())
                .bind("server", key(r.step().server())).bind("description", r.step().describe())
                .bind("undo", r.undo() ? 1 : 0).bind("json", PlanCodec.stepJson(r.step()))
                .bind("status", r.status().name()).bind("detail", r.detail())
                .bind("started", millis(r.startedAt())).bind("ended", millis(r.endedAt()))
                .bind("effective", millis(r.effectiveAt())).execute();
    }

    // ---- reading ----------------------------------------------------------------------------------------

    /** Newest first; {@code cluster} null for every cluster. */
    @Override
    public List<Operation> recent(String cluster, int limit) {
        return store.jdbi.withHandle(h -> load(h, h.createQuery("SELECT * FROM operations"
                        + (cluster == null ? "" : " WHERE cluster = :cluster") + " ORDER BY started_at DESC, id DESC "
                        + "LIMIT :limit").bind("cluster", cluster).bind("limit", limit)
                .map((rs, ctx) -> row(rs)).list()));
    }

    @Override
    public Optional<Operation> byId(String id) {
        return store.jdbi.withHandle(h -> load(h, h.createQuery("SELECT * FROM operations WHERE id = :id")
                .bind("id", id).map((rs, ctx) -> row(rs)).list())).stream().findFirst();
    }

    /** Operations whose end was never recorded: a manager crash cut them short. Oldest first. */
    public List<Operation> unfinished(String cluster) {
        return store.jdbi.withHandle(h -> load(h, h.createQuery("SELECT * FROM operations WHERE cluster = :cluster "
                        + "AND outcome = 'RUNNING' ORDER BY started_at, id").bind("cluster", cluster)
                .map((rs, ctx) -> row(rs)).list()));
    }

    /** The newest operation of a cluster that a restart stopped instead of finishing, after {@code since}. */
    public Optional<Operation> interruptedSince(String cluster, Instant since) {
        return store.jdbi.withHandle(h -> load(h, h.createQuery("SELECT * FROM operations WHERE cluster = :cluster "
                        + "AND outcome = 'INTERRUPTED' AND ended_at > :since ORDER BY ended_at DESC LIMIT 1")
                .bind("cluster", cluster).bind("since", since == null ? 0L : since.toEpochMilli())
                .map((rs, ctx) -> row(rs)).list())).stream().findFirst();
    }

    private record Row(String id, String startedBy, String plan, String evidence, long startedAt, Long endedAt,
                       String outcome, String summary) {
    }

    private static Row row(ResultSet rs) throws SQLException {
        long ended = rs.getLong("ended_at");
        return new Row(rs.getString("id"), rs.getString("started_by"), rs.getString("plan_json"),
                rs.getString("evidence_json"), rs.getLong("started_at"), rs.wasNull() ? null : ended,
                rs.getString("outcome"), rs.getString("summary"));
    }

    private static List<Operation> load(Handle h, List<Row> rows) {
        List<Operation> out = new ArrayList<>();
        for (Row r : rows) {
            Plan plan = PlanCodec.plan(r.plan());
            List<StepRecord> steps = h.createQuery("SELECT * FROM operation_steps WHERE operation_id = :op ORDER BY idx")
                    .bind("op", r.id()).map((rs, ctx) -> new StepRecord(rs.getInt("idx"),
                            PlanCodec.step(rs.getString("step_json")), instant(rs, "started_at"),
                            instant(rs, "ended_at"), StepStatus.valueOf(rs.getString("status")),
                            rs.getString("detail"), instant(rs, "effective_at"), rs.getInt("is_undo") == 1))
                    .list();
            List<HookOutcome> hooks = h.createQuery("SELECT * FROM hook_outcomes WHERE operation_id = :op ORDER BY id")
                    .bind("op", r.id()).map((rs, ctx) -> new HookOutcome(rs.getString("hook"), rs.getString("event"),
                            HookOutcome.Status.valueOf(rs.getString("status")), rs.getInt("attempts"),
                            Duration.ofMillis(rs.getLong("millis")), rs.getString("detail"), rs.getInt("gate") == 1))
                    .list();
            out.add(Operation.restored(r.id(), plan, r.startedBy(), PlanCodec.votes(r.evidence()),
                    Instant.ofEpochMilli(r.startedAt()), steps, hooks, Operation.Outcome.valueOf(r.outcome()),
                    r.endedAt() == null ? null : Instant.ofEpochMilli(r.endedAt()), r.summary()));
        }
        return out;
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    static Long millis(Instant i) {
        return i == null ? null : i.toEpochMilli();
    }

    static String key(dev.warden.model.InstanceKey k) {
        return k == null ? null : k.toString();
    }
}
