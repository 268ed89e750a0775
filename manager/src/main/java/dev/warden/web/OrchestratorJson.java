package dev.warden.web;

import dev.warden.actions.Operation;
import dev.warden.actions.StepStatus;
import dev.warden.config.ClusterConfig;
import dev.warden.decision.ClusterControls;
import dev.warden.decision.Finding;
import dev.warden.decision.FindingCode;
import dev.warden.model.BinlogCoordinates;
import dev.warden.model.Flavor;
import dev.warden.model.InstanceKey;
import dev.warden.model.ReplicaStatus;
import dev.warden.model.ServerState;
import dev.warden.model.ThreadState;
import dev.warden.topology.Topology;
import dev.warden.topology.TopologyNode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Warden's view in the JSON shapes of Orchestrator's API (its {@code inst.Instance}, {@code ReplicationAnalysis},
 * {@code TopologyRecovery}, {@code APIResponse}), written from Orchestrator's documentation and source, so scripts
 * that read those fields keep working. Fields Warden does not know are there with Orchestrator's zero values.
 * Pure: data in, maps out.
 */
public final class OrchestratorJson {

    /** Orchestrator prints times as its MySQL backend does. */
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private OrchestratorJson() {
    }

    /**
     * The facts about one cluster an answer is built from.
     *
     * @param lastSeen        each server's last snapshot that reached it (for a server down now)
     * @param acknowledgements when operators acknowledged the cluster's failovers, newest first
     */
    public record ClusterFacts(ClusterConfig config, Topology topology, List<Finding> findings,
                               ClusterControls controls, boolean automatic, Instant now,
                               java.util.function.Function<InstanceKey, dev.warden.model.InstanceSnapshot> lastSeen,
                               List<dev.warden.store.ControlStore.AcknowledgementRecord> acknowledgements) {

        /** Orchestrator names a cluster by its primary's host:port; Warden's own name is its alias. */
        public String clusterName() {
            return master().map(n -> n.key().toString()).orElse(config.name());
        }

        /** The primary, or the one server replicating from nobody when there is exactly one (read-only or not). */
        public java.util.Optional<TopologyNode> master() {
            java.util.Optional<TopologyNode> p = topology.primary();
            if (p.isPresent()) {
                return p;
            }
            List<TopologyNode> roots = topology.nodes().values().stream().filter(n -> n.source() == null
                    && n.snapshot().reachable()).toList();
            return roots.size() == 1 ? java.util.Optional.of(roots.get(0)) : java.util.Optional.empty();
        }
    }

    static Map<String, Object> key(InstanceKey k) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Hostname", k == null ? "" : k.host());
        m.put("Port", k == null ? 0 : k.port());
        return m;
    }

    static Map<String, Object> nullInt(Long v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Int64", v == null ? 0 : v);
        m.put("Valid", v != null);
        return m;
    }

    static Map<String, Object> coordinates(BinlogCoordinates c, int type) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("LogFile", c == null ? "" : c.file());
        m.put("LogPos", c == null ? 0 : c.position());
        m.put("Type", type);
        return m;
    }

    /** Orchestrator's ReplicationThreadState: -1 no thread, 0 stopped, 1 running, 2 anything else. */
    static int threadState(ReplicaStatus ch, ThreadState t) {
        if (ch == null) {
            return -1;
        }
        return switch (t) {
            case RUNNING -> 1;
            case STOPPED -> 0;
            default -> 2;
        };
    }

    static String time(Instant t) {
        return t == null ? "" : TIME.format(t);
    }

    /** One server as Orchestrator's {@code inst.Instance}. */
    public static Map<String, Object> instance(ClusterFacts f, TopologyNode n) {
        // A server down now shows what it was when last reached, as Orchestrator does, with IsLastCheckValid false.
        boolean reachable = n.snapshot().reachable();
        dev.warden.model.InstanceSnapshot seen = reachable ? n.snapshot() : f.lastSeen().apply(n.key());
        ServerState s = seen == null ? null : seen.state();
        ReplicaStatus ch = s == null ? null : s.mainChannel().orElse(null);
        boolean mysql = s == null || s.version().flavor() == Flavor.MYSQL;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Key", key(n.key()));
        m.put("InstanceAlias", "");
        m.put("Uptime", 0);
        m.put("ServerID", n.identity().known() ? n.identity().serverId() : 0);
        m.put("ServerUUID", s == null || s.serverUuid() == null ? "" : s.serverUuid());
        m.put("Version", s == null ? "" : s.version().text());
        m.put("VersionComment", "");
        m.put("FlavorName", s == null ? "" : mysql ? "MySQL" : "MariaDB");
        m.put("ReadOnly", s != null && !s.readOnly().writable());
        m.put("Binlog_format", s == null || s.settings().binlogFormat() == null ? "" : s.settings().binlogFormat());
        m.put("BinlogRowImage", "");
        m.put("LogBinEnabled", s != null && s.settings().binlogEnabled());
        m.put("LogSlaveUpdatesEnabled", s != null && s.settings().logReplicaUpdates());
        m.put("LogReplicationUpdatesEnabled", s != null && s.settings().logReplicaUpdates());
        m.put("SelfBinlogCoordinates", coordinates(null, 0));
        m.put("MasterKey", key(n.source()));
        m.put("MasterUUID", ch == null || ch.sourceUuid() == null ? "" : ch.sourceUuid());
        m.put("AncestryUUID", "");
        m.put("IsDetachedMaster", false);
        boolean sql = ch != null && ch.sqlThread() == ThreadState.RUNNING;
        boolean io = ch != null && ch.ioThread() == ThreadState.RUNNING;
        m.put("Slave_SQL_Running", sql);
        m.put("ReplicationSQLThreadRuning", sql);
        m.put("Slave_IO_Running", io);
        m.put("ReplicationIOThreadRuning", io);
        m.put("ReplicationSQLThreadState", threadState(ch, ch == null ? null : ch.sqlThread()));
        m.put("ReplicationIOThreadState", threadState(ch, ch == null ? null : ch.ioThread()));
        m.put("HasReplicationFilters", ch != null && !ch.filters().isEmpty());
        String gtidMode = s == null || s.settings().gtidMode() == null ? "" : s.settings().gtidMode();
        m.put("GTIDMode", gtidMode);
        m.put("SupportsOracleGTID", s != null && mysql && "ON".equalsIgnoreCase(gtidMode));
        m.put("UsingOracleGTID", ch != null && mysql && ch.autoPosition());
        m.put("UsingMariaDBGTID", ch != null && !mysql && ch.autoPosition());
        m.put("UsingPseudoGTID", false);
        m.put("ReadBinlogCoordinates", coordinates(ch == null ? null : ch.receivedCoordinates(), 0));
        m.put("ExecBinlogCoordinates", coordinates(ch == null ? null : ch.executedCoordinates(), 0));
        m.put("IsDetached", false);
        m.put("RelaylogCoordinates", coordinates(null, 1));
        m.put("LastSQLError", ch == null || ch.sqlError() == null ? "" : ch.sqlError().toString());
        m.put("LastIOError", ch == null || ch.ioError() == null ? "" : ch.ioError().toString());
        m.put("SecondsBehindMaster", nullInt(ch == null ? null : ch.secondsBehindSource()));
        m.put("SQLDelay", ch == null ? 0 : ch.sqlDelaySeconds());
        m.put("ExecutedGtidSet", s == null ? "" : s.gtidExecuted().toString());
        m.put("GtidPurged", "");
        ServerState primaryState = f.master().filter(p -> p.snapshot().reachable() && !p.key().equals(n.key()))
                .map(p -> p.snapshot().state()).orElse(null);
        m.put("GtidErrant", s == null || primaryState == null || s.version().flavor() != Flavor.MYSQL ? ""
                : errant(s, primaryState));
        Long lag = ch != null && n.lag().known() ? n.lag().estimate().toSeconds() : null;
        m.put("SlaveLagSeconds", nullInt(lag));
        m.put("ReplicationLagSeconds", nullInt(lag));
        List<Map<String, Object>> replicas = n.replicas().stream().sorted().map(OrchestratorJson::key).toList();
        m.put("SlaveHosts", replicas);
        m.put("Replicas", replicas);
        m.put("ClusterName", f.clusterName());
        m.put("SuggestedClusterAlias", f.config().name());
        m.put("DataCenter", "");
        m.put("Region", "");
        m.put("PhysicalEnvironment", "");
        m.put("ReplicationDepth", f.topology().depth(n.key()));
        m.put("IsCoMaster", false);
        m.put("HasReplicationCredentials", ch != null);
        m.put("ReplicationCredentialsAvailable", false);
        var semi = s == null ? null : s.semiSync();
        m.put("SemiSyncAvailable", semi != null && semi.available());
        m.put("SemiSyncPriority", 0);
        m.put("SemiSyncMasterEnabled", semi != null && semi.sourceEnabled());
        m.put("SemiSyncReplicaEnabled", semi != null && semi.replicaEnabled());
        m.put("SemiSyncMasterTimeout", 0);
        m.put("SemiSyncMasterWaitForReplicaCount", 0);
        m.put("SemiSyncMasterStatus", semi != null && semi.sourceActive());
        m.put("SemiSyncMasterClients", semi == null ? 0 : semi.sourceClients());
        m.put("SemiSyncReplicaStatus", semi != null && semi.replicaActive());
        Instant probed = seen == null ? null : seen.probedAt();
        m.put("LastSeenTimestamp", time(probed));
        m.put("IsLastCheckValid", reachable);
        m.put("IsUpToDate", reachable);
        m.put("IsRecentlyChecked", true);
        m.put("SecondsSinceLastSeen", nullInt(probed == null ? null : Math.max(0,
                Duration.between(probed, f.now()).toSeconds())));
        m.put("CountMySQLSnapshots", 0);
        String rule = f.config().server(n.key()).map(x -> x.promotion().configName()).orElse("neutral");
        m.put("IsCandidate", "prefer".equals(rule));
        m.put("PromotionRule", rule);
        boolean down = f.controls().maintenance() || f.controls().serversInMaintenance().contains(n.key());
        m.put("IsDowntimed", down);
        m.put("DowntimeReason", down ? "maintenance" : "");
        m.put("DowntimeOwner", "");
        Instant until = f.controls().maintenanceEnds().get(f.controls().serversInMaintenance().contains(n.key())
                ? n.key() : null);
        m.put("DowntimeEndTimestamp", down ? time(until) : "");
        m.put("ElapsedDowntime", 0);
        m.put("UnresolvedHostname", "");
        m.put("AllowTLS", false);
        List<String> problems = new ArrayList<>();
        for (Finding x : f.findings()) {
            if (x.servers().contains(n.key())) {
                problems.add(analysisCode(x.code()));
            }
        }
        if (f.controls().fenced().contains(n.key())) {
            problems.add("fenced");
        }
        m.put("Problems", problems);
        m.put("LastDiscoveryLatency", n.snapshot().latency().toNanos());
        m.put("WardenRole", n.role().display());
        m.put("WardenReachability", n.snapshot().reachability().display());
        return m;
    }

    private static String errant(ServerState s, ServerState primary) {
        try {
            dev.warden.model.ErrantTransactions e = dev.warden.model.ErrantTransactions.of(s, primary);
            return e.any() ? e.set().toString() : "";
        } catch (RuntimeException ex) {
            return "";
        }
    }

    /** Orchestrator's name for a finding where it has one ("DeadMaster"); else Warden's own code. */
    static String analysisCode(FindingCode c) {
        return switch (c) {
            case DeadPrimary -> "DeadMaster";
            case DeadPrimaryAndSomeReplicas -> "DeadMasterAndSomeReplicas";
            case DeadPrimaryWithoutReplicas -> "DeadMasterWithoutReplicas";
            case UnreachablePrimary -> "UnreachableMaster";
            case UnreachablePrimaryWithLaggingReplicas -> "UnreachableMasterWithLaggingReplicas";
            default -> c.name();
        };
    }

    static Map<String, Object> clusterDetails(ClusterFacts f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ClusterName", f.clusterName());
        m.put("ClusterAlias", f.config().name());
        m.put("ClusterDomain", "");
        m.put("CountInstances", f.topology().nodes().size());
        m.put("HeuristicLag", 0);
        m.put("HasAutomatedMasterRecovery", f.automatic());
        m.put("HasAutomatedIntermediateMasterRecovery", false);
        return m;
    }

    /** One finding as Orchestrator's {@code ReplicationAnalysis} entry. */
    public static Map<String, Object> analysis(ClusterFacts f, Finding x) {
        InstanceKey k = x.server();
        TopologyNode n = k == null ? null : f.topology().nodes().get(k);
        List<TopologyNode> replicas = n == null ? List.of() : n.replicas().stream()
                .map(r -> f.topology().nodes().get(r)).filter(java.util.Objects::nonNull).toList();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("AnalyzedInstanceKey", key(k));
        m.put("AnalyzedInstanceMasterKey", key(n == null ? null : n.source()));
        m.put("ClusterDetails", clusterDetails(f));
        m.put("AnalyzedInstanceDataCenter", "");
        m.put("AnalyzedInstanceRegion", "");
        m.put("AnalyzedInstancePhysicalEnvironment", "");
        m.put("AnalyzedInstanceBinlogCoordinates", coordinates(null, 0));
        m.put("IsMaster", n != null && n.source() == null);
        m.put("IsReplicationGroupMember", false);
        m.put("IsCoMaster", false);
        m.put("LastCheckValid", n != null && n.snapshot().reachable());
        m.put("LastCheckPartialSuccess", false);
        m.put("CountReplicas", replicas.size());
        m.put("CountValidReplicas", replicas.stream().filter(r -> r.snapshot().reachable()).count());
        m.put("CountValidReplicatingReplicas", replicas.stream().filter(r -> r.snapshot().reachable()
                && r.snapshot().state().mainChannel().map(ReplicaStatus::bothThreadsRunning).orElse(false)).count());
        m.put("CountReplicasFailingToConnectToMaster", replicas.stream().filter(r -> r.snapshot().reachable()
                && r.snapshot().state().mainChannel().map(c -> c.ioThread() != ThreadState.RUNNING).orElse(false))
                .count());
        m.put("CountDowntimedReplicas", replicas.stream().filter(r -> f.controls().serversInMaintenance()
                .contains(r.key())).count());
        m.put("ReplicationDepth", n == null ? 0 : f.topology().depth(k));
        List<Map<String, Object>> keys = replicas.stream().map(r -> key(r.key())).toList();
        m.put("Replicas", keys);
        m.put("SlaveHosts", keys);
        m.put("IsFailingToConnectToMaster", false);
        // A dead primary not yet confirmed (confirmation window, votes) is what Orchestrator calls UnreachableMaster.
        m.put("Analysis", x.code().primaryGone() && x.pending() ? "UnreachableMaster" : analysisCode(x.code()));
        m.put("Description", x.description());
        m.put("StructureAnalysis", List.of());
        boolean down = f.controls().maintenance() || (k != null && f.controls().serversInMaintenance().contains(k));
        m.put("IsDowntimed", down);
        m.put("IsReplicasDowntimed", false);
        m.put("DowntimeEndTimestamp", "");
        m.put("DowntimeRemainingSeconds", 0);
        m.put("IsBinlogServer", false);
        m.put("IsActionableRecovery", x.code().primaryGone() && !x.pending());
        m.put("CountAdditionalAgreeingNodes", 0);
        m.put("CommandHint", "");
        m.put("IsReadOnly", n != null && n.snapshot().reachable() && !n.snapshot().state().readOnly().writable());
        m.put("WardenCode", x.code().name());
        m.put("WardenDetail", x.detail());
        return m;
    }

    /**
     * A failover or switchover as Orchestrator's {@code TopologyRecovery} (Orchestrator records a graceful takeover as
     * a recovery too, with {@code DeadMaster}).
     */
    public static Map<String, Object> recovery(ClusterFacts f, Operation op, long id, String processingNode) {
        var plan = op.plan();
        boolean switchover = plan.kind() == dev.warden.plan.PlanKind.SWITCHOVER;
        Map<String, Object> analysis = new LinkedHashMap<>();
        analysis.put("AnalyzedInstanceKey", key(plan.oldPrimary()));
        analysis.put("AnalyzedInstanceMasterKey", key(null));
        analysis.put("ClusterDetails", f == null ? Map.of("ClusterName", plan.cluster()) : clusterDetails(f));
        analysis.put("IsMaster", true);
        analysis.put("Analysis", switchover ? "DeadMaster" : triggerCode(plan.trigger()));
        analysis.put("Description", plan.trigger());
        analysis.put("IsActionableRecovery", true);
        analysis.put("CommandHint", switchover ? "graceful-master-takeover" : "");
        analysis.put("CountReplicas", plan.steps().stream().filter(x -> x instanceof dev.warden.plan.Repoint).count());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", id);
        m.put("UID", op.id());
        m.put("AnalysisEntry", analysis);
        boolean promoted = op.promotionRecorded() || op.outcome() == Operation.Outcome.SUCCEEDED;
        m.put("SuccessorKey", key(promoted ? plan.candidate() : null));
        m.put("SuccessorAlias", "");
        m.put("SuccessorBinlogCoordinates", null);
        boolean blocking = f != null && f.controls().lastFailover() != null
                && op.id().equals(f.controls().lastFailover().operationId()) && f.controls().antiFlapActive(f.now());
        // Orchestrator: active while it runs and while it blocks the next recovery (Warden's anti-flap period).
        m.put("IsActive", op.outcome() == Operation.Outcome.RUNNING || blocking);
        m.put("IsSuccessful", op.outcome() == Operation.Outcome.SUCCEEDED);
        m.put("LostReplicas", plan.leftBehind().stream().map(r -> key(r.server())).toList());
        Set<InstanceKey> participants = new LinkedHashSet<>();
        op.steps().forEach(r -> participants.add(r.step().server()));
        m.put("ParticipatingInstanceKeys", participants.stream().map(OrchestratorJson::key).toList());
        m.put("AllErrors", op.steps().stream().filter(r -> r.status() == StepStatus.FAILED)
                .map(r -> r.detail() == null ? "" : r.detail()).toList());
        m.put("RecoveryStartTimestamp", time(op.startedAt()));
        m.put("RecoveryEndTimestamp", time(op.endedAt()));
        m.put("ProcessingNodeHostname", processingNode);
        m.put("ProcessingNodeToken", "");
        // Acknowledged by an operator (warden ack, the console) after it started; switchovers need none.
        dev.warden.store.ControlStore.AcknowledgementRecord ack = f == null || op.startedAt() == null ? null
                : f.acknowledgements().stream().filter(a -> !a.at().isBefore(op.startedAt())).reduce((a, b) -> b)
                .orElse(null);
        m.put("Acknowledged", switchover || ack != null);
        m.put("AcknowledgedAt", ack == null ? "" : time(ack.at()));
        m.put("AcknowledgedBy", ack == null ? "" : ack.who());
        m.put("AcknowledgedComment", ack == null || ack.lifted() == null ? "" : ack.lifted());
        m.put("LastDetectionId", 0);
        m.put("RelatedRecoveryId", 0);
        m.put("Type", "MasterRecovery");
        m.put("RecoveryType", "MasterRecoveryGTID");
        m.put("WardenOutcome", op.outcome().name());
        m.put("WardenSummary", op.summary());
        return m;
    }

    /** The finding code a trigger sentence starts with ("DeadPrimary 10.0.0.1:3306: ..."), in Orchestrator's name. */
    static String triggerCode(String trigger) {
        if (trigger == null) {
            return "";
        }
        String first = trigger.split("[ :]", 2)[0];
        for (FindingCode c : FindingCode.values()) {
            if (c.name().equals(first)) {
                return analysisCode(c);
            }
        }
        return "ManualRecovery";
    }

    /** Orchestrator's {@code APIResponse}: {@code {"Code": "OK"|"ERROR", "Message": ..., "Details": ...}}. */
    public static Map<String, Object> response(boolean ok, String message, Object details) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Code", ok ? "OK" : "ERROR");
        m.put("Message", message);
        m.put("Details", details);
        return m;
    }
}
