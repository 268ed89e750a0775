package dev.warden.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.config.HookConfig;
import dev.warden.model.HookEvent;
import dev.warden.model.InstanceKey;
import dev.warden.plan.Plan;
import dev.warden.plan.PlanKind;
import dev.warden.plan.Repoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** Hook scripts written for Orchestrator get its placeholders and ORC_* variables, with the same meaning. */
class OrchestratorHookVarsTest {

    static final InstanceKey OLD = InstanceKey.parse("10.0.0.1:3306");
    static final InstanceKey NEW = InstanceKey.parse("10.0.0.2:3306");
    static final InstanceKey R3 = InstanceKey.parse("10.0.0.3:3306");
    static final InstanceKey R4 = InstanceKey.parse("10.0.0.4:3306");
    static final Instant T = Instant.parse("2026-12-03T12:00:00Z");

    static Plan failover(PlanKind kind) {
        return new Plan(kind, "main", "DeadPrimary 10.0.0.1:3306: refused for 0.5 s", OLD, NEW, "most advanced", 0,
                List.of(), List.of(new Plan.Reasoned(R4, "replication broken")),
                List.of(new Repoint(R3, NEW, null, Duration.ofSeconds(10))));
    }

    static HookPayload payload(HookEvent e, PlanKind kind, boolean forced) {
        Plan plan = failover(kind);
        return new HookPayload(e, "main", "op-7", OLD, e == HookEvent.POST_FAILOVER || e == HookEvent.POST_SWITCHOVER
                ? NEW : null, NEW, 0L, null, plan.trigger(), T, HookPayload.OperationFacts.of(plan, forced));
    }

    @Test
    void anAutomaticFailoverReadsAsOrchestratorsDeadMasterRecovery() {
        var v = OrchestratorHookVars.placeholders(payload(HookEvent.POST_FAILOVER, PlanKind.FAILOVER, false), "mgr1");
        assertThat(v).containsEntry("failureType", "DeadMaster").containsEntry("failedHost", "10.0.0.1")
                .containsEntry("failedPort", "3306").containsEntry("successorHost", "10.0.0.2")
                .containsEntry("successorPort", "3306").containsEntry("successorAlias", "10.0.0.2:3306")
                .containsEntry("failureCluster", "main").containsEntry("failureClusterAlias", "main")
                .containsEntry("countReplicas", "3").containsEntry("countSlaves", "3")
                .containsEntry("replicaHosts", "10.0.0.2:3306,10.0.0.3:3306,10.0.0.4:3306")
                .containsEntry("lostReplicas", "10.0.0.4:3306").containsEntry("countLostReplicas", "1")
                .containsEntry("isSuccessful", "true").containsEntry("command", "")
                .containsEntry("autoMasterRecovery", "true").containsEntry("recoveryUID", "op-7")
                .containsEntry("orchestratorHost", "mgr1").containsEntry("isMaster", "true")
                .containsEntry("instanceType", "master");
    }

    @Test
    void beforeAndWithoutASuccessorThereIsNone() {
        var pre = OrchestratorHookVars.placeholders(payload(HookEvent.PRE_FAILOVER, PlanKind.FAILOVER, false), "m");
        assertThat(pre).containsEntry("isSuccessful", "false").containsEntry("successorHost", "")
                .containsEntry("successorPort", "");
        var failed = OrchestratorHookVars.placeholders(payload(HookEvent.FAILOVER_FAILED, PlanKind.FAILOVER, true),
                "m");
        assertThat(failed).containsEntry("isSuccessful", "false").containsEntry("command", "force-master-failover")
                .containsEntry("autoMasterRecovery", "false");
    }

    @Test
    void aFailoverThatFailedAfterItsPromotionHasASuccessor() {
        Plan plan = failover(PlanKind.FAILOVER);
        HookPayload p = new HookPayload(HookEvent.FAILOVER_FAILED, "main", "op-9", OLD, NEW, NEW, 0L, null,
                "re-point failed", T, HookPayload.OperationFacts.of(plan, false));
        assertThat(OrchestratorHookVars.placeholders(p, "m")).containsEntry("isSuccessful", "true")
                .containsEntry("successorHost", "10.0.0.2");
    }

    @Test
    void aSwitchoverIsAGracefulMasterTakeover() {
        // A switchover re-points the old primary too: it is not one of its own replicas.
        Plan plan = new Plan(PlanKind.SWITCHOVER, "main", "switchover requested", OLD, NEW, "asked", 0, List.of(),
                List.of(), List.of(new Repoint(R3, NEW, null, Duration.ofSeconds(10)),
                new Repoint(OLD, NEW, null, Duration.ofSeconds(10))));
        HookPayload p = new HookPayload(HookEvent.POST_SWITCHOVER, "main", "op-8", OLD, NEW, NEW, null, null,
                "switchover requested", T, HookPayload.OperationFacts.of(plan, true));
        var v = OrchestratorHookVars.placeholders(p, "m");
        assertThat(v).containsEntry("failureType", "DeadMaster").containsEntry("command", "graceful-master-takeover")
                .containsEntry("successorHost", "10.0.0.2").containsEntry("replicaHosts", "10.0.0.2:3306,10.0.0.3:3306");
    }

    @Test
    void findingsMapToOrchestratorsAnalysisNames() {
        assertThat(type("DeadPrimaryAndSomeReplicas 10.0.0.1:3306: ...")).isEqualTo("DeadMasterAndSomeReplicas");
        assertThat(type("PrimaryNotWriting 10.0.0.1:3306: writes time out")).isEqualTo("DeadMaster");
        assertThat(type("UnreachablePrimary 10.0.0.1:3306: timeout")).isEqualTo("UnreachableMaster");
        assertThat(new HookPayload(HookEvent.REPLICA_OUT_OF_POOL, "main", null, null, null, null, null, R3, "lag",
                T).environment()).containsEntry("ORC_FAILURE_TYPE", "").containsEntry("ORC_FAILED_HOST", "10.0.0.3");
    }

    static String type(String reason) {
        return OrchestratorHookVars.failureType(new HookPayload(HookEvent.FAILURE_DETECTED, "main", null, OLD, null,
                null, null, OLD, reason, T));
    }

    @Test
    void noPlaceholderValueCanQuoteExpandOrChainAShellCommand() {
        HookPayload p = new HookPayload(HookEvent.FAILURE_DETECTED, "main", null, OLD, null, null, null, OLD,
                "DeadPrimary 10.0.0.1:3306: Access denied for user 'w'@'x'; $(rm -rf /) `id` && echo \"hi\" | cat",
                T);
        String arg = OrchestratorHookVars.substitute(List.of("echo '{failureDescription}'"), p).get(0);
        assertThat(arg).isEqualTo("echo 'DeadPrimary 10.0.0.1:3306: Access denied for user _w_@_x__ __rm _rf /_ "
                + "_id_ __ echo _hi_ _ cat'");
        assertThat(p.environment().get("ORC_FAILURE_DESCRIPTION")).as("the environment carries it unchanged")
                .contains("'w'@'x'; $(rm -rf /)");
    }

    @Test
    void anOrchestratorHookScriptRunsUnchanged() throws Exception {
        Path out = Files.createTempFile("orc-hook", ".txt");
        ExecutorService pool = Executors.newCachedThreadPool();
        try {
            // As it would stand in orchestrator.conf.json's PostFailoverProcesses.
            String script = "echo 'Recovered from {failureType} on {failureCluster}. Failed: {failedHost}:{failedPort};"
                    + " Successor: {successorHost}:{successorPort}' {slaveHosts} {unknownToken}"
                    + " \"$ORC_FAILURE_TYPE $ORC_SUCCESSOR_HOST $ORC_IS_SUCCESSFUL $ORC_REPLICA_HOSTS\" > " + out;
            HookConfig h = new HookConfig("orc", Set.of("post_failover"), HookConfig.Type.COMMAND, null, null,
                    List.of("/bin/sh", "-c", script), Duration.ofSeconds(10), 0, Duration.ZERO,
                    HookConfig.HookClass.BEST_EFFORT, Set.of());
            List<HookOutcome> outcomes = new HookRunner(List.of(h), pool).run(payload(HookEvent.POST_FAILOVER,
                    PlanKind.FAILOVER, false));
            assertThat(outcomes).hasSize(1);
            assertThat(outcomes.get(0).detail()).doesNotContain("exit");
            assertThat(Files.readString(out).strip()).isEqualTo("Recovered from DeadMaster on main. Failed: "
                    + "10.0.0.1:3306; Successor: 10.0.0.2:3306 10.0.0.2:3306,10.0.0.3:3306,10.0.0.4:3306 {unknownToken}"
                    + " DeadMaster 10.0.0.2 true 10.0.0.2:3306,10.0.0.3:3306,10.0.0.4:3306");
        } finally {
            pool.shutdownNow();
            Files.deleteIfExists(out);
        }
    }
}
