package dev.warden.probe;

import dev.warden.dialect.Dialect;
import dev.warden.dialect.Row;
import dev.warden.dialect.ServerVariables;
import dev.warden.dialect.Sql;
import dev.warden.model.ConnectedReplica;
import dev.warden.model.HeartbeatObservation;
import dev.warden.model.HeartbeatRow;
import dev.warden.model.InstanceSnapshot;
import dev.warden.model.Reachability;
import dev.warden.model.ReceiverStatus;
import dev.warden.model.ReplicaStatus;
import dev.warden.model.SemiSyncState;
import dev.warden.model.ServerState;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads one server into an {@link InstanceSnapshot} within a deadline. A failure of the connection makes the
 * server unreachable (classified); a failed statement on a live connection (missing grant, missing heartbeat
 * table) is recorded as a problem and probing goes on.
 */
public final class ServerProber {

    /** How long semi-sync settings read on a connection are trusted (a DBA's change shows within this). */
    public static final Duration SEMI_SYNC_SETTINGS_MAX_AGE = Duration.ofSeconds(10);

    private final Clock clock;
    /** The cluster whose {@code warden.term} row is read (several managers); null: it is not read. */
    private final String termOf;

    public ServerProber(Clock clock) {
        this(clock, null);
    }

    /** @param termOf the cluster whose {@code warden.term} row each probe reads; null to read none */
    public ServerProber(Clock clock, String termOf) {
        this.clock = clock;
        this.termOf = termOf;
    }

    public InstanceSnapshot probe(ProbeConnection pc, Duration timeout) {
        Instant started = clock.instant();
        long t0 = System.nanoTime();
        Deadline deadline = Deadline.after(timeout);
        boolean reused = pc.isOpen();
        try {
            ServerState state = read(pc, deadline);
            return InstanceSnapshot.reachable(pc.key(), started, since(t0), state);
        } catch (SQLException | RuntimeException first) {
            pc.invalidate();
            if (reused && !deadline.expired() && !isTimeout(first)) {
                // The kept connection may simply have gone stale (server restarted, wait_timeout): one fresh try.
                try {
                    ServerState state = read(pc, deadline);
                    return InstanceSnapshot.reachable(pc.key(), started, since(t0), state);
                } catch (SQLException | RuntimeException second) {
                    pc.invalidate();
                    InstanceSnapshot f = failed(pc, started, t0, second);
                    return InstanceSnapshot.unreachable(f.key(), f.probedAt(), f.latency(), f.reachability(),
                            f.error() + "; the kept connection had failed first: " + FailureClassifier.rootMessage(first));
                }
            }
            return failed(pc, started, t0, first);
        }
    }

    private static boolean isTimeout(Throwable t) {
        return FailureClassifier.classify(t) == Reachability.TIMEOUT;
    }

    private InstanceSnapshot failed(ProbeConnection pc, Instant started, long t0, Throwable e) {
        Reachability why = e instanceof dev.warden.dialect.UnsupportedServerException
                ? Reachability.SERVER_ERROR : FailureClassifier.classify(e);
        String detail = FailureClassifier.message(e);
        String root = FailureClassifier.rootMessage(e);
        if (!root.equals(detail)) {
            detail = detail + " (cause: " + root + ")";
        }
        return InstanceSnapshot.unreachable(pc.key(), started, since(t0), why, detail);
    }

    private static Duration since(long t0) {
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    private ServerState read(ProbeConnection pc, Deadline deadline) throws SQLException {
        Connection c = pc.connect(deadline);
        Dialect d = pc.dialect();
        List<String> problems = new ArrayList<>();

        ServerVariables vars = d.parseVariables(Jdbc.query(c, d.variablesQuery(), deadline).get(0));

        List<ReplicaStatus> replication = optional(c, d.replicaStatusQuery(), deadline, problems,
                "replica status")
                .map(rows -> d.parseReplicaStatus(rows, vars.replicaApplied()))
                .orElse(List.of());
        if (!replication.isEmpty()) {
            Optional<Sql> receiverQuery = d.receiverStatusQuery();
            if (receiverQuery.isPresent()) {
                Map<String, ReceiverStatus> receivers = optional(c, receiverQuery.get(), deadline, problems,
                        "receiver status").map(d::parseReceiverStatus).orElse(Map.of());
                replication = replication.stream()
                        .map(r -> receivers.containsKey(r.channel()) ? r.withReceiver(receivers.get(r.channel())) : r)
                        .toList();
            }
        }

        List<ConnectedReplica> connected = optional(c, d.connectedReplicasQuery(), deadline, problems,
                "connected replicas").map(d::parseConnectedReplicas).orElse(List.of());

        SemiSyncState semiSync = semiSync(pc, c, d, deadline, problems);

        // Last: a healthy replica has had the few milliseconds of this probe to apply the heartbeat just written,
        // so it reads as "<= a few ms" rather than ">= 0 ms, <= one interval".
        HeartbeatObservation heartbeat = readHeartbeat(c, d, deadline, clock);

        // A read-only server that replicates from nobody may be a primary started again, read-only by its my.cnf:
        // read_only from its configuration and unchanged since (not set by anyone at run time), and how long it has
        // been up.
        java.time.Duration readOnlySinceStart = null;
        if (!vars.readOnly().writable() && replication.isEmpty()) {
            boolean fromConfig = optional(c, d.readOnlyOriginQuery(), deadline, problems, "read_only origin")
                    .filter(rows -> !rows.isEmpty()).map(rows -> d.fromConfiguration(rows.get(0).get("origin")))
                    .orElse(false);
            if (fromConfig) {
                readOnlySinceStart = optional(c, UPTIME, deadline, problems, "uptime").filter(rows -> !rows.isEmpty())
                        .map(rows -> rows.get(0).getLong(-1, "Value", "VALUE")).filter(v -> v >= 0)
                        .map(java.time.Duration::ofSeconds).orElse(null);
            }
        }
        dev.warden.model.Term term = termOf == null ? null : readTerm(c, deadline, problems);
        return new ServerState(vars.version(), vars.serverId(), vars.serverUuid(), vars.readOnly(), vars.settings(),
                vars.gtidExecuted(), vars.binlogState(), replication, connected, semiSync, heartbeat, problems,
                vars.reportedAddress(), readOnlySinceStart, term);
    }

    /** The server's {@code warden.term} row for the cluster; null without one (no table yet is not a problem). */
    private dev.warden.model.Term readTerm(Connection c, Deadline deadline, List<String> problems) throws SQLException {
        try {
            return dev.warden.dialect.TermSql.parse(Jdbc.query(c, dev.warden.dialect.TermSql.READ, deadline), termOf);
        } catch (SQLException e) {
            if (e.getErrorCode() == dev.warden.dialect.TermSql.NO_TABLE) {
                return null;
            }
            if (FailureClassifier.isStatementError(e)) {
                problems.add("cannot read warden.term: " + FailureClassifier.message(e));
                return null;
            }
            throw e;
        }
    }

    static final Sql UPTIME = Sql.of("SHOW GLOBAL STATUS LIKE 'Uptime'");

    /**
     * Semi-sync settings are read again every {@link #SEMI_SYNC_SETTINGS_MAX_AGE} (two statements less per probe,
     * both costly on the server); its status only where it is enabled (with nothing enabled there is none to read).
     */
    private static SemiSyncState semiSync(ProbeConnection pc, Connection c, Dialect d, Deadline deadline,
                                          List<String> problems) throws SQLException {
        List<Row> settings = pc.semiSyncSettings(SEMI_SYNC_SETTINGS_MAX_AGE);
        if (settings == null) {
            Optional<List<Row>> read = optional(c, d.semiSyncVariablesQuery(), deadline, problems,
                    "semi-sync settings");
            if (read.isEmpty()) {
                return SemiSyncState.NOT_AVAILABLE;
            }
            settings = read.get();
            pc.semiSyncSettingsRead(settings);
        }
        if (settings.isEmpty()) {
            return SemiSyncState.NOT_AVAILABLE;
        }
        SemiSyncState configured = d.parseSemiSync(settings, List.of());
        if (!configured.sourceEnabled() && !configured.replicaEnabled()) {
            return configured;
        }
        List<Row> status = optional(c, d.semiSyncStatusQuery(), deadline, problems, "semi-sync status")
                .orElse(List.of());
        return d.parseSemiSync(settings, status);
    }

    /** Runs a query whose failure on a live connection is a problem to report, not a dead server. */
    private static Optional<List<Row>> optional(Connection c, Sql sql, Deadline deadline, List<String> problems,
                                                String what) throws SQLException {
        try {
            return Optional.of(Jdbc.query(c, sql, deadline));
        } catch (SQLException e) {
            if (FailureClassifier.isStatementError(e)) {
                problems.add("cannot read " + what + " (" + sql.display() + "): " + FailureClassifier.message(e));
                return Optional.empty();
            }
            throw e;
        }
    }

    private static HeartbeatObservation readHeartbeat(Connection c, Dialect d, Deadline deadline, Clock clock)
            throws SQLException {
        List<Row> rows;
        Instant sentAt = clock.instant();
        Instant receivedAt;
        try {
            // Bounded on the server shortly before the probe's own deadline: a locked heartbeat table is reported as
            // such, and the server still counts as answering.
            long boundMs = Math.max(20, deadline.remainingNanos() / 1_000_000 - 60);
            rows = Jdbc.query(c, d.heartbeatReadQuery(Duration.ofMillis(boundMs)), deadline);
            receivedAt = clock.instant();
        } catch (SQLException e) {
            if (FailureClassifier.isStatementError(e)) {
                return HeartbeatObservation.unavailable(FailureClassifier.message(e));
            }
            throw e;
        }
        List<HeartbeatRow> beats = new ArrayList<>();
        Instant now = null;
        for (Row r : rows) {
            now = epoch(r.get("now_epoch"));
            Long serverId = r.getLongOrNull("server_id");
            Instant ts = epoch(r.get("ts_epoch"));
            if (serverId != null && ts != null) {
                beats.add(new HeartbeatRow(serverId, r.getLong(0, "seq"), ts));
            }
        }
        return new HeartbeatObservation(beats, now, sentAt, receivedAt, null);
    }

    static Instant epoch(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        java.math.BigDecimal seconds = new java.math.BigDecimal(text.trim());
        long s = seconds.longValue();
        long nanos = seconds.subtract(java.math.BigDecimal.valueOf(s)).movePointRight(9).longValue();
        return Instant.ofEpochSecond(s, nanos);
    }
}
