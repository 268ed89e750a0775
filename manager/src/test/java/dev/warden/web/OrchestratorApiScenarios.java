package dev.warden.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.dialect.Dialect;
import dev.warden.model.Flavor;
import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxInstance;
import dev.warden.testing.Await;
import dev.warden.testing.RootSql;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Contract tests of the Orchestrator-compatible API, written from Orchestrator's documentation and its Go structs
 * ({@code inst.Instance}, {@code inst.ReplicationAnalysis}, {@code logic.TopologyRecovery}, {@code APIResponse}):
 * the paths scripts call, the field names and JSON types they read, against a real daemon on a real sandbox,
 * through a kill -9 failover. A fresh sandbox per class (the failover changes it).
 */
abstract class OrchestratorApiScenarios {

    abstract Sandbox sandbox();

    /** Fields of Orchestrator's inst.Instance that scripts read, with the JSON type each must have. */
    static final String[][] INSTANCE_FIELDS = {
        {"Key", "object"}, {"ServerID", "number"}, {"ServerUUID", "string"}, {"Version", "string"},
        {"ReadOnly", "boolean"}, {"LogBinEnabled", "boolean"}, {"LogReplicationUpdatesEnabled", "boolean"},
        {"MasterKey", "object"}, {"Slave_SQL_Running", "boolean"}, {"Slave_IO_Running", "boolean"},
        {"ReplicationSQLThreadRuning", "boolean"}, {"ReplicationIOThreadRuning", "boolean"},
        {"ReplicationSQLThreadState", "number"}, {"ReplicationIOThreadState", "number"}, {"GTIDMode", "string"},
        {"UsingOracleGTID", "boolean"}, {"UsingMariaDBGTID", "boolean"}, {"ExecBinlogCoordinates", "object"},
        {"LastSQLError", "string"}, {"LastIOError", "string"}, {"SecondsBehindMaster", "object"},
        {"SQLDelay", "number"}, {"ExecutedGtidSet", "string"}, {"ReplicationLagSeconds", "object"},
        {"SlaveLagSeconds", "object"}, {"Replicas", "array"}, {"SlaveHosts", "array"}, {"ClusterName", "string"},
        {"ReplicationDepth", "number"}, {"IsLastCheckValid", "boolean"}, {"IsUpToDate", "boolean"},
        {"SecondsSinceLastSeen", "object"}, {"PromotionRule", "string"}, {"IsDowntimed", "boolean"},
        {"Problems", "array"}, {"SemiSyncMasterEnabled", "boolean"}, {"LastSeenTimestamp", "string"}};

    static void assertInstanceShape(JsonNode i) {
        for (String[] f : INSTANCE_FIELDS) {
            assertThat(i.has(f[0])).as("field " + f[0] + " in " + i).isTrue();
            assertThat(i.get(f[0]).getNodeType().name().toLowerCase(java.util.Locale.ROOT)).as(f[0])
                    .isEqualTo(f[1]);
        }
        assertThat(i.path("Key").path("Hostname").isTextual()).isTrue();
        assertThat(i.path("Key").path("Port").isInt()).isTrue();
        assertThat(i.path("SecondsBehindMaster").has("Int64")).isTrue();
        assertThat(i.path("SecondsBehindMaster").path("Valid").isBoolean()).isTrue();
    }

    static String key(JsonNode k) {
        return k.path("Hostname").asText() + ":" + k.path("Port").asInt();
    }

    static java.net.http.HttpResponse<String> basic(ConsoleHarness h, String user, String password, String path)
            throws Exception {
        String auth = java.util.Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(h.base() + path)).header("Authorization", "Basic " + auth).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void scriptsReadTheTopologyTheAnalysisAndTheRecoveriesInOrchestratorsShapes() throws Exception {
        Sandbox sb = sandbox();
        try (ConsoleHarness h = new ConsoleHarness(sb, "")) {
            ApiClient anon = h.anonymous();
            assertThat(anon.get("/orchestrator/api/master/sandbox").status()).as("behind access control")
                    .isEqualTo(401);
            ApiClient.Response health = anon.get("/orchestrator/api/health");
            assertThat(health.status()).as(health.body()).isEqualTo(200);
            assertThat(health.json().path("Code").asText()).isEqualTo("OK");
            assertThat(health.json().path("Message").asText()).isEqualTo("Application node is healthy");
            assertThat(health.json().path("Details").path("Healthy").asBoolean()).isTrue();
            assertThat(health.json().path("Details").path("IsActiveNode").asBoolean()).isTrue();

            ApiClient v = h.token(ConsoleHarness.VIEWER_TOKEN);
            SandboxInstance primary = sb.primary();
            assertThat(v.get("/orchestrator/api/clusters").json().toString()).as("Orchestrator names a cluster by "
                    + "its primary").isEqualTo("[\"" + primary.key() + "\"]");
            assertThat(v.get("/orchestrator/api/leader-check").status()).isEqualTo(200);

            // orchestrator-client sends HTTP Basic: a user's password, or a token as the password.
            assertThat(basic(h, ConsoleHarness.VIEWER, ConsoleHarness.VIEWER_PASSWORD, "/orchestrator/api/clusters")
                    .statusCode()).isEqualTo(200);
            assertThat(basic(h, "orchestrator-client", ConsoleHarness.VIEWER_TOKEN, "/orchestrator/api/clusters")
                    .statusCode()).isEqualTo(200);
            var wrong = basic(h, ConsoleHarness.VIEWER, "guess", "/orchestrator/api/clusters");
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(wrong.body()).contains("\"Code\":\"ERROR\"").contains("wrong user name or password");
            assertThat(basic(h, ConsoleHarness.VIEWER, ConsoleHarness.VIEWER_PASSWORD, "/api/clusters").statusCode())
                    .as("Basic only for Orchestrator's read-only API").isEqualTo(401);
            JsonNode master = v.get("/orchestrator/api/master/sandbox").json();
            assertInstanceShape(master);
            assertThat(key(master.path("Key"))).isEqualTo(primary.key().toString());
            assertThat(master.path("ReadOnly").asBoolean()).isFalse();
            assertThat(key(master.path("MasterKey"))).as("Orchestrator's empty key").isEqualTo(":0");
            assertThat(master.path("ReplicationSQLThreadState").asInt()).as("no replication thread").isEqualTo(-1);
            assertThat(master.path("ReplicationDepth").asInt()).isZero();
            assertThat(master.path("ClusterName").asText()).isEqualTo(primary.key().toString());
            assertThat(master.path("SuggestedClusterAlias").asText()).isEqualTo("sandbox");
            assertThat(v.get("/orchestrator/api/cluster-info/sandbox").json().path("ClusterAlias").asText())
                    .isEqualTo("sandbox");
            assertThat(v.get("/orchestrator/api/masters").json()).hasSize(1);
            assertThat(v.get("/orchestrator/api/instance-replicas/127.0.0.1/" + primary.port()).json())
                    .hasSize(sb.replicas().size());
            assertThat(key(v.get("/orchestrator/api/master/" + primary.key()).json().path("Key")))
                    .as("Orchestrator's cluster name is a hint too").isEqualTo(primary.key().toString());
            List<String> replicas = new ArrayList<>();
            master.path("Replicas").forEach(k -> replicas.add(key(k)));
            assertThat(replicas).containsExactlyInAnyOrderElementsOf(sb.replicas().stream()
                    .map(r -> r.key().toString()).toList());
            assertThat(master.path("LastSeenTimestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
            assertThat(key(v.get("/orchestrator/api/master/" + sb.replicas().get(0).key()).json().path("Key")))
                    .as("a cluster hint may be any of its servers").isEqualTo(primary.key().toString());

            JsonNode cluster = v.get("/orchestrator/api/cluster/sandbox").json();
            assertThat(cluster.isArray()).isTrue();
            assertThat(cluster).hasSize(sb.instances().size());
            boolean mysql = sb.flavor().flavor() == Flavor.MYSQL;
            for (JsonNode i : cluster) {
                assertInstanceShape(i);
                if (key(i.path("Key")).equals(primary.key().toString())) {
                    continue;
                }
                assertThat(key(i.path("MasterKey"))).isEqualTo(primary.key().toString());
                assertThat(i.path("ReplicationSQLThreadRuning").asBoolean()).isTrue();
                assertThat(i.path("Slave_IO_Running").asBoolean()).isTrue();
                assertThat(i.path("ReplicationIOThreadState").asInt()).isEqualTo(1);
                assertThat(i.path("ReplicationDepth").asInt()).isEqualTo(1);
                assertThat(i.path("ReadOnly").asBoolean()).isTrue();
                assertThat(i.path(mysql ? "UsingOracleGTID" : "UsingMariaDBGTID").asBoolean()).isTrue();
                assertThat(i.path("ReplicationLagSeconds").path("Valid").asBoolean()).isTrue();
            }
            SandboxInstance r0 = sb.replicas().get(0);
            JsonNode one = v.get("/orchestrator/api/instance/127.0.0.1/" + r0.port()).json();
            assertThat(key(one.path("Key"))).isEqualTo(r0.key().toString());

            ApiClient.Response unknown = v.get("/orchestrator/api/master/nosuch");
            assertThat(unknown.status()).as("as Orchestrator answers errors").isEqualTo(500);
            assertThat(unknown.json().path("Code").asText()).isEqualTo("ERROR");
            assertThat(unknown.json().path("Message").asText()).contains("Unable to determine cluster name for "
                    + "'nosuch'").contains("clusters: sandbox");
            assertThat(v.get("/orchestrator/api/instance/127.0.0.1/1").json().path("Message").asText())
                    .startsWith("Cannot read instance");
            ApiClient.Response takeover = h.token(ConsoleHarness.ADMIN_TOKEN)
                    .get("/orchestrator/api/graceful-master-takeover/sandbox");
            assertThat(takeover.status()).as("nothing that changes a server is offered").isEqualTo(500);
            assertThat(takeover.json().path("Message").asText()).contains("Warden does not serve");

            // A replica stops applying: the analysis lists it.
            RootSql.replicaCommand(sb, r0, Dialect::stopReplicaSqlThread);
            JsonNode entry = Await.until("an analysis entry for " + r0.key(), Duration.ofSeconds(20),
                    () -> v.get("/orchestrator/api/replication-analysis").json(),
                    a -> a.path("Code").asText().equals("OK") && a.path("Details").findValues("AnalyzedInstanceKey")
                            .stream().anyMatch(k -> key(k).equals(r0.key().toString())));
            assertThat(entry.path("Message").asText()).isEqualTo("Analysis");
            JsonNode stopped = null;
            for (JsonNode d : entry.path("Details")) {
                if (key(d.path("AnalyzedInstanceKey")).equals(r0.key().toString())) {
                    stopped = d;
                }
            }
            assertThat(stopped.path("Analysis").asText()).isEqualTo("ReplicationStopped");
            assertThat(key(stopped.path("AnalyzedInstanceMasterKey"))).isEqualTo(primary.key().toString());
            assertThat(stopped.path("ClusterDetails").path("ClusterAlias").asText()).isEqualTo("sandbox");
            assertThat(stopped.path("IsActionableRecovery").asBoolean()).isFalse();
            assertThat(stopped.path("IsMaster").asBoolean()).isFalse();
            RootSql.replicaCommand(sb, r0, Dialect::startReplicaSqlThread);
            assertThat(v.get("/orchestrator/api/replication-analysis/sandbox").json().path("Code").asText())
                    .isEqualTo("OK");
            assertThat(v.get("/orchestrator/api/replication-analysis/nosuch").json().path("Details")).isEmpty();

            // kill -9: the recovery is in audit-recovery, the master moves.
            assertThat(v.get("/orchestrator/api/audit-recovery").json()).isEmpty();
            sb.kill(primary);
            JsonNode recoveries = Await.until("a finished recovery", Duration.ofSeconds(40),
                    () -> v.get("/orchestrator/api/audit-recovery").json(),
                    a -> a.size() == 1 && !a.get(0).path("WardenOutcome").asText().equals("RUNNING"));
            JsonNode rec = recoveries.get(0);
            assertThat(rec.path("IsSuccessful").asBoolean()).as(rec.toString()).isTrue();
            assertThat(rec.path("AnalysisEntry").path("Analysis").asText()).isEqualTo("DeadMaster");
            assertThat(key(rec.path("AnalysisEntry").path("AnalyzedInstanceKey"))).isEqualTo(primary.key().toString());
            String successor = key(rec.path("SuccessorKey"));
            assertThat(sb.replicas().stream().map(r -> r.key().toString())).contains(successor);
            assertThat(rec.path("RecoveryStartTimestamp").asText()).matches("\\d{4}-.*");
            assertThat(rec.path("Type").asText()).isEqualTo("MasterRecovery");
            assertThat(rec.path("UID").asText()).startsWith("op-");
            assertThat(rec.path("Id").asLong()).isEqualTo(1);
            assertThat(rec.path("IsActive").asBoolean()).as("it blocks the next one (anti-flap)").isTrue();
            assertThat(rec.path("Acknowledged").asBoolean()).isFalse();
            assertThat(v.get("/orchestrator/api/audit-recovery?unacknowledged=true").json()).hasSize(1);
            assertThat(v.get("/orchestrator/api/audit-recovery/id/1").json()).hasSize(1);
            JsonNode dead = v.get("/orchestrator/api/instance/127.0.0.1/" + primary.port()).json();
            assertThat(dead.path("IsLastCheckValid").asBoolean()).isFalse();
            assertThat(dead.path("Version").asText()).as("what it was when last seen").isNotEmpty();
            assertThat(dead.path("LastSeenTimestamp").asText()).isNotEmpty();
            assertThat(h.token(ConsoleHarness.OPERATOR_TOKEN).post("/api/clusters/sandbox/acknowledge", "{}")
                    .status()).isEqualTo(200);
            JsonNode acked = v.get("/orchestrator/api/audit-recovery").json().get(0);
            assertThat(acked.path("Acknowledged").asBoolean()).isTrue();
            assertThat(acked.path("AcknowledgedBy").asText()).isEqualTo("ci");
            assertThat(acked.path("IsActive").asBoolean()).isFalse();
            assertThat(v.get("/orchestrator/api/audit-recovery?unacknowledged=true").json()).isEmpty();
            JsonNode byUid = v.get("/orchestrator/api/audit-recovery/uid/" + rec.path("UID").asText()).json();
            assertThat(byUid).hasSize(1);
            assertThat(v.get("/orchestrator/api/audit-recovery/cluster/sandbox").json()).hasSize(1);
            assertThat(v.get("/orchestrator/api/audit-recovery/1").json()).as("the second page").isEmpty();
            Await.until("the master to be the successor", Duration.ofSeconds(20),
                    () -> key(v.get("/orchestrator/api/master/sandbox").json().path("Key")), successor::equals);

            // A switchover is a recovery too in Orchestrator's record (a graceful takeover).
            String target = sb.replicas().stream().map(r -> r.key().toString()).filter(k -> !k.equals(successor))
                    .findFirst().orElseThrow();
            ApiClient.Response sw = h.token(ConsoleHarness.OPERATOR_TOKEN).post("/api/clusters/sandbox/switchover",
                    "{\"to\": \"" + target + "\"}");
            assertThat(sw.status()).as(sw.body()).isEqualTo(200);
            JsonNode two = Await.until("the switchover in audit-recovery", Duration.ofSeconds(30),
                    () -> v.get("/orchestrator/api/audit-recovery").json(),
                    a -> a.size() == 2 && a.get(0).path("WardenOutcome").asText().equals("SUCCEEDED"));
            assertThat(two.get(0).path("Id").asLong()).as("newest first, numbered as they started").isEqualTo(2);
            assertThat(two.get(0).path("AnalysisEntry").path("CommandHint").asText())
                    .isEqualTo("graceful-master-takeover");
            assertThat(key(two.get(0).path("SuccessorKey"))).isEqualTo(target);
        }
    }
}
