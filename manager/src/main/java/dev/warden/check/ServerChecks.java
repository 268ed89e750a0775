package dev.warden.check;

import dev.warden.model.Flavor;
import dev.warden.model.InstanceSnapshot;
import dev.warden.model.Reachability;
import dev.warden.model.ReplicaStatus;
import dev.warden.model.ReplicationSettings;
import dev.warden.model.ServerState;
import dev.warden.topology.Role;
import java.util.ArrayList;
import java.util.List;

/** The verdicts for one server, from gathered facts. Pure. */
public final class ServerChecks {

    private ServerChecks() {
    }

    /**
     * What the replicas' heartbeat periods are judged against.
     *
     * @param silenceLimit   failover.replica_silence: a period must be under half of it for silence to mean anything
     * @param enforcedPeriod the period {@code warden run} gives replicas whose own is too long; null when it leaves
     *                       them alone (replication.enforce_heartbeat_period: false)
     */
    public record HeartbeatRule(java.time.Duration silenceLimit, java.time.Duration enforcedPeriod) {
        public static final HeartbeatRule DEFAULT = new HeartbeatRule(java.time.Duration.ofMillis(1500),
                java.time.Duration.ofMillis(500));
    }

    public static List<CheckResult> evaluate(ServerFacts facts, Role role, String user) {
        return evaluate(facts, role, user, HeartbeatRule.DEFAULT);
    }

    public static List<CheckResult> evaluate(ServerFacts facts, Role role, String user, HeartbeatRule rule) {
        InstanceSnapshot s = facts.probe();
        String subject = s.key().toString();
        List<CheckResult> out = new ArrayList<>();
        if (!s.reachable()) {
            out.add(CheckResult.fail(subject, "connect", connectAdvice(s, user)));
            return out;
        }
        ServerState st = s.state();
        out.add(CheckResult.pass(subject, "connect", "logged in as " + user + " in " + s.latency().toMillis()
                + " ms (" + st.version() + ")"));
        out.add(grants(subject, facts, st.flavor()));
        out.add(gtid(subject, st));
        out.add(binlog(subject, st.settings()));
        out.add(heartbeat(subject, st));
        out.add(readOnly(subject, st, role));
        if (st.isReplica()) {
            out.add(replication(subject, st));
            out.add(heartbeatPeriod(subject, st, rule, grantsComplete(facts, st.flavor())));
        }
        for (String problem : st.problems()) {
            out.add(CheckResult.warn(subject, "probe", problem));
        }
        return out;
    }

    private static String connectAdvice(InstanceSnapshot s, String user) {
        String why = s.reachability().display() + ": " + s.error();
        return switch (s.reachability()) {
            case REFUSED -> why + "; is the server running and listening on " + s.key() + "?";
            case TIMEOUT -> why + "; is the host reachable and the server responsive (firewall, hung process)?";
            case AUTH_FAILED -> why + "; check credentials.user (" + user + ") and credentials.password, and that "
                    + "the account exists for this host (sql/grants/)";
            case NETWORK_ERROR -> why + "; check the host name and the network path";
            default -> why;
        };
    }

    private static CheckResult grants(String subject, ServerFacts facts, Flavor flavor) {
        if (facts.grants() == null) {
            return CheckResult.fail(subject, "grants", "cannot read SHOW GRANTS: " + facts.grantsError());
        }
        List<String> missing = new ArrayList<>();
        for (GrantRequirement r : GrantRequirements.forFlavor(flavor)) {
            if (!r.metBy(facts.grants())) {
                missing.add(r.privilege() + (r.schema() == null ? "" : " on " + r.schema() + ".*") + " (" + r.purpose()
                        + "): " + r.grantStatement(facts.account()));
            }
        }
        if (missing.isEmpty()) {
            return CheckResult.pass(subject, "grants", "every privilege of sql/grants/"
                    + (flavor == Flavor.MARIADB ? "mariadb" : "mysql") + ".sql is held by " + facts.account());
        }
        String roles = facts.grants().usesRoles() ? " (privileges given through roles are not counted)" : "";
        return CheckResult.fail(subject, "grants", facts.account() + " lacks " + missing.size() + " privilege"
                + (missing.size() == 1 ? "" : "s") + roles + ": " + String.join("; ", missing));
    }

    private static CheckResult gtid(String subject, ServerState st) {
        ReplicationSettings rs = st.settings();
        if (st.flavor() == Flavor.MARIADB) {
            return rs.gtidStrictMode()
                    ? CheckResult.pass(subject, "gtid", "gtid_strict_mode=ON")
                    : CheckResult.warn(subject, "gtid", "gtid_strict_mode=OFF: out-of-order GTIDs would go unnoticed; "
                    + "set gtid_strict_mode=ON on every server");
        }
        if (rs.gtidUsable(st.flavor())) {
            return CheckResult.pass(subject, "gtid", "gtid_mode=ON, enforce_gtid_consistency=ON");
        }
        return CheckResult.fail(subject, "gtid", "gtid_mode=" + rs.gtidMode() + ", enforce_gtid_consistency="
                + (rs.enforceGtidConsistency() ? "ON" : "OFF") + ": Warden needs GTIDs to promote and re-point; set "
                + "gtid_mode=ON and enforce_gtid_consistency=ON on every server");
    }

    private static CheckResult binlog(String subject, ReplicationSettings rs) {
        if (!rs.binlogEnabled()) {
            return CheckResult.fail(subject, "binlog", "log_bin=OFF: this server cannot become a source; enable the "
                    + "binary log (log-bin) on every server");
        }
        if (!rs.logReplicaUpdates()) {
            return CheckResult.fail(subject, "binlog", "log_replica_updates=OFF: after a promotion the other replicas "
                    + "could not get what this server replicated; set log_replica_updates=ON");
        }
        if (!"ROW".equalsIgnoreCase(rs.binlogFormat())) {
            return CheckResult.warn(subject, "binlog", "binlog_format=" + rs.binlogFormat() + "; ROW is safest for "
                    + "replication consistency");
        }
        return CheckResult.pass(subject, "binlog", "log_bin=ON, log_replica_updates=ON, binlog_format=ROW");
    }

    private static CheckResult heartbeat(String subject, ServerState st) {
        if (st.heartbeat().unavailable() != null) {
            return CheckResult.fail(subject, "heartbeat", "cannot read warden.heartbeat (" + st.heartbeat().unavailable()
                    + "): run sql/heartbeat.sql on the primary");
        }
        return CheckResult.pass(subject, "heartbeat", "warden.heartbeat readable (" + st.heartbeat().rows().size()
                + " row" + (st.heartbeat().rows().size() == 1 ? "" : "s") + ")");
    }

    private static CheckResult readOnly(String subject, ServerState st, Role role) {
        boolean replica = st.isReplica();
        if (replica && st.readOnly().writable()) {
            String fix = st.flavor() == Flavor.MARIADB ? "SET GLOBAL read_only=ON" : "SET GLOBAL super_read_only=ON";
            return CheckResult.warn(subject, "read_only", "replica is writable: a write here would be an errant "
                    + "transaction; " + fix + " (and read_only=ON in its config)");
        }
        if (!replica && role == Role.PRIMARY && !st.readOnly().writable()) {
            return CheckResult.warn(subject, "read_only", "primary is " + st.readOnly().display()
                    + ": applications cannot write");
        }
        return CheckResult.pass(subject, "read_only", st.readOnly().display() + " (" + role.display() + ")");
    }

    private static boolean grantsComplete(ServerFacts facts, Flavor flavor) {
        return facts.grants() != null && GrantRequirements.forFlavor(flavor).stream().allMatch(r -> r.metBy(facts.grants()));
    }

    /**
     * A replica confirms a dead primary by its silence only when its heartbeat period (as the server reports it) is
     * under half of failover.replica_silence. Too long: a WARN when {@code warden run} will set it (it may, and is
     * told to), a FAIL when it will not or cannot; unknown (MySQL with performance_schema off): a FAIL.
     */
    private static CheckResult heartbeatPeriod(String subject, ServerState st, HeartbeatRule rule, boolean canChange) {
        java.time.Duration period = st.mainChannel().orElseThrow().receiver().heartbeatPeriod();
        String limit = rule.silenceLimit().toMillis() + " ms";
        if (period == null) {
            return CheckResult.fail(subject, "heartbeat_period", "the replica's heartbeat period cannot be read (MySQL "
                    + "reports it in performance_schema, which must be ON): its silence cannot confirm a dead primary");
        }
        if (dev.warden.decision.PrimaryAssessment.silenceMeansSomething(period, rule.silenceLimit())) {
            return CheckResult.pass(subject, "heartbeat_period", period.toMillis() + " ms (under half of "
                    + "failover.replica_silence " + limit + ")");
        }
        String what = "heartbeat period " + period.toMillis() + " ms is not under half of failover.replica_silence "
                + limit + ": its silence cannot confirm a dead primary";
        if (rule.enforcedPeriod() != null && canChange) {
            return CheckResult.warn(subject, "heartbeat_period", what + "; warden run sets it to "
                    + rule.enforcedPeriod().toMillis() + " ms when it starts watching (its IO thread restarts briefly)");
        }
        String fix = (st.flavor() == Flavor.MARIADB ? "STOP SLAVE; CHANGE MASTER TO MASTER_HEARTBEAT_PERIOD=0.5; START SLAVE"
                : "STOP REPLICA IO_THREAD; CHANGE REPLICATION SOURCE TO SOURCE_HEARTBEAT_PERIOD=0.5; START REPLICA "
                + "IO_THREAD");
        return CheckResult.fail(subject, "heartbeat_period", what + (rule.enforcedPeriod() == null
                ? " (replication.enforce_heartbeat_period is off)" : " and Warden's account cannot change it (see "
                + "grants)") + "; fix: " + fix);
    }

    private static CheckResult replication(String subject, ServerState st) {
        ReplicaStatus r = st.mainChannel().orElseThrow();
        if (!r.autoPosition()) {
            String fix = st.flavor() == Flavor.MARIADB ? "CHANGE MASTER TO MASTER_USE_GTID=slave_pos"
                    : "CHANGE REPLICATION SOURCE TO SOURCE_AUTO_POSITION=1";
            return CheckResult.fail(subject, "replication", "replicates from " + r.source() + " by file and position; "
                    + "Warden re-points with GTID auto-positioning: " + fix);
        }
        if (r.sqlBroken()) {
            return CheckResult.fail(subject, "replication", "SQL thread stopped on " + r.sqlError());
        }
        if (!r.bothThreadsRunning()) {
            return CheckResult.warn(subject, "replication", "IO thread " + r.ioThread().display() + ", SQL thread "
                    + r.sqlThread().display() + (r.ioError() == null ? "" : " (" + r.ioError() + ")"));
        }
        return CheckResult.pass(subject, "replication", "replicating from " + r.source()
                + " with GTID auto-positioning, both threads running");
    }

    static boolean reachable(InstanceSnapshot s) {
        return s.reachability() == Reachability.REACHABLE;
    }
}
