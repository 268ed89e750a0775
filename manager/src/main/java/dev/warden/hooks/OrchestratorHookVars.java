package dev.warden.hooks;

import dev.warden.decision.FindingCode;
import dev.warden.model.HookEvent;
import dev.warden.model.InstanceKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Orchestrator's hook variables, so hook scripts written for it run unchanged: its {@code {placeholders}} replaced in
 * a command's arguments, and its {@code ORC_*} environment variables, with the same meaning. Pure.
 */
public final class OrchestratorHookVars {

    /** Placeholder names (without braces), with the environment variable each also sets; aliases share one. */
    private static final String[][] NAMES = {
            {"failureType", "ORC_FAILURE_TYPE"},
            {"instanceType", "ORC_INSTANCE_TYPE"},
            {"isMaster", "ORC_IS_MASTER"},
            {"isCoMaster", "ORC_IS_CO_MASTER"},
            {"failureDescription", "ORC_FAILURE_DESCRIPTION"},
            {"command", "ORC_COMMAND"},
            {"failedHost", "ORC_FAILED_HOST"},
            {"failedPort", "ORC_FAILED_PORT"},
            {"failureCluster", "ORC_FAILURE_CLUSTER"},
            {"failureClusterAlias", "ORC_FAILURE_CLUSTER_ALIAS"},
            {"failureClusterDomain", "ORC_FAILURE_CLUSTER_DOMAIN"},
            {"countReplicas", "ORC_COUNT_REPLICAS"},
            {"countSlaves", null},
            {"isDowntimed", "ORC_IS_DOWNTIMED"},
            {"autoMasterRecovery", "ORC_AUTO_MASTER_RECOVERY"},
            {"autoIntermediateMasterRecovery", "ORC_AUTO_INTERMEDIATE_MASTER_RECOVERY"},
            {"orchestratorHost", "ORC_ORCHESTRATOR_HOST"},
            {"recoveryUID", "ORC_RECOVERY_UID"},
            {"isSuccessful", "ORC_IS_SUCCESSFUL"},
            {"lostReplicas", "ORC_LOST_REPLICAS"},
            {"lostSlaves", null},
            {"countLostReplicas", null},
            {"replicaHosts", "ORC_REPLICA_HOSTS"},
            {"slaveHosts", null},
            {"successorHost", "ORC_SUCCESSOR_HOST"},
            {"successorPort", "ORC_SUCCESSOR_PORT"},
            {"successorAlias", "ORC_SUCCESSOR_ALIAS"},
    };

    private OrchestratorHookVars() {
    }

    /** Every placeholder's value ("" when Warden has nothing for it). */
    public static Map<String, String> placeholders(HookPayload p) {
        return placeholders(p, HOST);
    }

    /** Looked up once: a resolver that hangs must not delay a fence or gate hook. */
    private static final String HOST = host();

    static Map<String, String> placeholders(HookPayload p, String managerHost) {
        Map<String, String> v = new LinkedHashMap<>();
        HookPayload.OperationFacts op = p.operation();
        InstanceKey failed = p.oldPrimary() != null ? p.oldPrimary() : p.server();
        // As Orchestrator's: successful when there is a successor (a failover that failed after its promotion
        // took effect has one).
        boolean successful = p.event() == HookEvent.POST_FAILOVER || p.event() == HookEvent.POST_SWITCHOVER
                || (p.event() == HookEvent.FAILOVER_FAILED && p.newPrimary() != null);
        InstanceKey successor = successful ? (p.newPrimary() != null ? p.newPrimary() : p.candidate()) : null;
        List<InstanceKey> replicas = op == null ? List.of() : op.replicas();
        List<InstanceKey> lost = op == null ? List.of() : op.lostReplicas();
        v.put("failureType", failureType(p));
        v.put("instanceType", "master");
        v.put("isMaster", "true");
        v.put("isCoMaster", "false");
        v.put("failureDescription", p.reason() == null ? "" : p.reason());
        v.put("command", op == null ? "" : op.switchover() ? "graceful-master-takeover"
                : op.forced() ? "force-master-failover" : "");
        v.put("failedHost", failed == null ? "" : failed.host());
        v.put("failedPort", failed == null ? "" : Integer.toString(failed.port()));
        v.put("failureCluster", p.cluster());
        v.put("failureClusterAlias", p.cluster());
        v.put("failureClusterDomain", "");
        v.put("countReplicas", Integer.toString(replicas.size()));
        v.put("countSlaves", Integer.toString(replicas.size()));
        // A cluster in maintenance gets no automatic failover at all, so an automatic one is never "downtimed".
        v.put("isDowntimed", "false");
        v.put("autoMasterRecovery", Boolean.toString(op == null || (!op.forced() && !op.switchover())));
        v.put("autoIntermediateMasterRecovery", "false");
        v.put("orchestratorHost", managerHost);
        v.put("recoveryUID", p.operationId() == null ? "" : p.operationId());
        v.put("isSuccessful", Boolean.toString(successful));
        v.put("lostReplicas", list(lost));
        v.put("lostSlaves", list(lost));
        v.put("countLostReplicas", Integer.toString(lost.size()));
        v.put("replicaHosts", list(replicas));
        v.put("slaveHosts", list(replicas));
        v.put("successorHost", successor == null ? "" : successor.host());
        v.put("successorPort", successor == null ? "" : Integer.toString(successor.port()));
        v.put("successorAlias", successor == null ? "" : successor.toString());
        return v;
    }

    /** ORC_FAILURE_TYPE, ORC_FAILED_HOST, ... */
    public static Map<String, String> environment(HookPayload p) {
        Map<String, String> values = placeholders(p);
        Map<String, String> env = new LinkedHashMap<>();
        for (String[] n : NAMES) {
            if (n[1] != null) {
                env.put(n[1], values.get(n[0]));
            }
        }
        return env;
    }

    /**
     * A command's arguments with every {placeholder} replaced; other braces are left as they are. Commands often run
     * through a shell ({@code sh -c "..."}, as Orchestrator runs them), and a finding's text can carry a server's
     * error message: a placeholder's value keeps only letters, digits, spaces and {@code . , : / _ @ = + % -}
     * (anything else becomes {@code _}), so no value can quote, expand or chain a command. The ORC_* variables carry
     * the values unchanged.
     */
    public static List<String> substitute(List<String> command, HookPayload p) {
        Map<String, String> values = placeholders(p);
        return command.stream().map(arg -> {
            String out = arg;
            for (Map.Entry<String, String> e : values.entrySet()) {
                out = out.replace("{" + e.getKey() + "}", shellSafe(e.getValue()));
            }
            return out;
        }).collect(Collectors.toList());
    }

    static String shellSafe(String value) {
        String safe = value.replaceAll("[^A-Za-z0-9 .,:/_@=+%-]", "_");
        // nor starts an option of the hook's program
        return safe.startsWith("-") ? "_" + safe.substring(1) : safe.replace(" -", " _");
    }

    /**
     * Orchestrator's analysis name for what set the operation off: DeadMaster for a dead primary and for a primary
     * that takes no writes (Orchestrator has no name for that), DeadMasterAndSomeReplicas, UnreachableMaster; a
     * switchover or a failover a person asked for is DeadMaster with its command (as Orchestrator's own are).
     */
    static String failureType(HookPayload p) {
        String reason = p.reason() == null ? "" : p.reason().strip();
        String first = reason.isEmpty() ? "" : reason.split("[\\s:]", 2)[0];
        FindingCode code;
        try {
            code = FindingCode.valueOf(first);
        } catch (IllegalArgumentException e) {
            code = null;
        }
        if (code == null) {
            return p.operation() != null ? "DeadMaster" : "";
        }
        return switch (code) {
            case DeadPrimary, PrimaryNotWriting -> "DeadMaster";
            case DeadPrimaryAndSomeReplicas -> "DeadMasterAndSomeReplicas";
            case UnreachablePrimary -> "UnreachableMaster";
            default -> code.name();
        };
    }

    private static String list(List<InstanceKey> keys) {
        return keys.stream().map(InstanceKey::toString).collect(Collectors.joining(","));
    }

    /** This machine's host name, looked up once ("localhost" when it cannot be). */
    public static String hostName() {
        return HOST;
    }

    private static String host() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }
}
