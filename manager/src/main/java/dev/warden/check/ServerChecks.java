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

    public static List<CheckResult> evaluate(ServerFacts facts, Role role, String user) {
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
