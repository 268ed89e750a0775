package dev.warden.hooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.model.HookEvent;
import dev.warden.model.InstanceKey;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a hook is told: the same fields as a JSON body (webhooks, and commands on stdin) and as environment
 * variables (commands). Absent values are null in JSON and empty in the environment.
 *
 * @param server       the replica an out-of-pool / into-pool event is about, or the quarantined old primary
 * @param knownMissing failovers: transactions known to exist that the new primary lacks (a lower bound of what is
 *                     lost: with asynchronous replication the primary may have committed more that nobody saw)
 */
public record HookPayload(HookEvent event, String cluster, String operationId, InstanceKey oldPrimary,
                          InstanceKey newPrimary, InstanceKey candidate, Long knownMissing, InstanceKey server,
                          String reason, Instant time, OperationFacts operation) {

    /**
     * What an operation's hooks are also told for Orchestrator's hook variables ({@link OrchestratorHookVars}).
     *
     * @param replicas     the old primary's replicas, the candidate included
     * @param lostReplicas those the plan leaves behind (not re-pointed)
     * @param forced       asked for by a person (warden failover / the API), not decided by Warden
     */
    public record OperationFacts(boolean switchover, boolean forced, java.util.List<InstanceKey> replicas,
                            java.util.List<InstanceKey> lostReplicas) {
        public OperationFacts {
            replicas = java.util.List.copyOf(replicas);
            lostReplicas = java.util.List.copyOf(lostReplicas);
        }

        /** From a failover's or switchover's plan. */
        public static OperationFacts of(dev.warden.plan.Plan plan, boolean forced) {
            java.util.List<InstanceKey> replicas = new java.util.ArrayList<>();
            if (plan.candidate() != null) {
                replicas.add(plan.candidate());
            }
            plan.steps().stream().filter(st -> st instanceof dev.warden.plan.Repoint).map(dev.warden.plan.Step::server)
                    .filter(k -> !replicas.contains(k) && !k.equals(plan.oldPrimary())).forEach(replicas::add);
            java.util.List<InstanceKey> lost = plan.leftBehind().stream().map(dev.warden.plan.Plan.Reasoned::server)
                    .filter(k -> !k.equals(plan.oldPrimary())).toList();
            lost.stream().filter(k -> !replicas.contains(k)).forEach(replicas::add);
            return new OperationFacts(plan.kind() == dev.warden.plan.PlanKind.SWITCHOVER, forced, replicas, lost);
        }
    }

    /** An event outside a failover or switchover. */
    public HookPayload(HookEvent event, String cluster, String operationId, InstanceKey oldPrimary,
                       InstanceKey newPrimary, InstanceKey candidate, Long knownMissing, InstanceKey server,
                       String reason, Instant time) {
        this(event, cluster, operationId, oldPrimary, newPrimary, candidate, knownMissing, server, reason, time, null);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    public Map<String, Object> fields() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event", event.configName());
        m.put("cluster", cluster);
        m.put("operation_id", operationId);
        m.put("old_primary", text(oldPrimary));
        m.put("new_primary", text(newPrimary));
        m.put("candidate", text(candidate));
        m.put("known_missing_transactions", knownMissing);
        m.put("server", text(server));
        m.put("reason", reason);
        m.put("time", time.toString());
        return m;
    }

    private static String text(InstanceKey k) {
        return k == null ? null : k.toString();
    }

    public byte[] json() {
        try {
            return JSON.writeValueAsBytes(fields());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** WARDEN_EVENT, WARDEN_CLUSTER, WARDEN_OPERATION_ID, WARDEN_OLD_PRIMARY, ..., and Orchestrator's ORC_* */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        fields().forEach((k, v) -> env.put("WARDEN_" + k.toUpperCase(java.util.Locale.ROOT), v == null ? "" : v.toString()));
        env.putAll(OrchestratorHookVars.environment(this));
        return env;
    }

    /** The same for every attempt and every retry of one hook on one event of one operation. */
    public String idempotencyKey(String hook) {
        return (operationId == null ? cluster + "-" + time.toEpochMilli() : operationId) + ":" + event.configName()
                + ":" + hook + (server == null ? "" : ":" + server);
    }

    public String jsonText() {
        return new String(json(), StandardCharsets.UTF_8);
    }
}
