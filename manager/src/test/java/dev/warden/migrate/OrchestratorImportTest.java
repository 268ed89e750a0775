package dev.warden.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.config.ConfigLoader;
import dev.warden.config.EnvSubstitution;
import dev.warden.config.HookConfig;
import dev.warden.config.WardenConfig;
import dev.warden.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrchestratorImportTest {

    /** As orchestrator's docs show one, with the keys users set most. */
    static final String CONF = """
            {
              "Debug": false,
              "ListenAddress": ":3000",
              "MySQLTopologyUser": "orc_${x}_user",
              "MySQLTopologyPassword": "orc_client_password",
              "MySQLReplicaUser": "repl",
              "MySQLReplicaPassword": "repl_secret",
              "BackendDB": "sqlite",
              "SQLite3DataFile": "/var/lib/orchestrator/orchestrator.db",
              "InstancePollSeconds": 5,
              "RecoveryPeriodBlockSeconds": 3600,
              "RecoverMasterClusterFilters": ["*"],
              "RecoverIntermediateMasterClusterFilters": ["_intermediate_master_pattern_"],
              "DiscoverySeeds": ["db1.example.com:3306", "db7.example.com"],
              "PreFailoverProcesses": [
                "echo 'Will recover from {failureType} on {failureCluster}' >> /tmp/recovery.log"
              ],
              "PostFailoverProcesses": [
                "echo \\"Recovered $ORC_FAILED_HOST -> {successorHost}:{successorPort}\\" >> /tmp/recovery.log &"
              ],
              "PostIntermediateMasterFailoverProcesses": ["echo intermediate"],
              "RaftEnabled": false,
              "SomethingNew": 1
            }
            """;

    static WardenConfig load(String yaml) {
        return ConfigLoader.parse("warden.yaml", yaml, EnvSubstitution.from(Map.of("WARDEN_PASSWORD", "pw",
                "WARDEN_REPLICATION_PASSWORD", "rpw"))).config();
    }

    @Test
    void whatMapsBecomesAWardenConfigurationThatLoads() {
        OrchestratorImport.Result r = OrchestratorImport.convert(CONF);
        WardenConfig c = load(r.yaml());
        assertThat(c.clusters()).hasSize(2);
        assertThat(c.clusters().get(0).credentials().user()).as("$ reaches Warden as written").isEqualTo("orc_${x}_user");
        assertThat(c.clusters().get(1).keys().get(0).toString()).isEqualTo("db7.example.com:3306");
        assertThat(c.probe().interval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.failover().antiFlap()).isEqualTo(Duration.ofHours(1));
        assertThat(c.failover().automatic()).isTrue();
        assertThat(c.failover().observe()).as("beside orchestrator first").isTrue();
        assertThat(c.http().port()).as("orchestrator keeps :3000 while both run").isEqualTo(8080);
        assertThat(c.http().loopback()).isTrue();
        assertThat(r.yaml()).doesNotContain("orc_client_password").doesNotContain("repl_secret")
                .contains("${WARDEN_PASSWORD}");
        List<HookConfig> hooks = c.hooks();
        assertThat(hooks).hasSize(2);
        assertThat(hooks.get(0).events()).containsExactly("pre_failover");
        assertThat(hooks.get(0).hookClass()).isEqualTo(HookConfig.HookClass.GATE);
        assertThat(hooks.get(0).command()).containsExactly("/bin/sh", "-c",
                "echo 'Will recover from {failureType} on {failureCluster}' >> /tmp/recovery.log");
        // "$" reaches the shell as written (not taken for a ${VAR} of warden.yaml); "&" made it best_effort.
        assertThat(hooks.get(1).command().get(2)).isEqualTo(
                "echo \"Recovered $ORC_FAILED_HOST -> {successorHost}:{successorPort}\" >> /tmp/recovery.log");
        assertThat(hooks.get(1).hookClass()).isEqualTo(HookConfig.HookClass.BEST_EFFORT);
    }

    @Test
    void everyKeyIsReportedWithItsLineAndWhy() {
        List<String> report = OrchestratorImport.convert(CONF).report().stream().map(Object::toString).toList();
        assertThat(report).contains(
                "line 2: Debug: not mapped: no Warden equivalent",
                "line 8: BackendDB: not mapped: Warden keeps its own store (store: in warden.yaml; SQLite by default)",
                "line 13: RecoverIntermediateMasterClusterFilters: not mapped: Warden does not fail over intermediate "
                        + "primaries",
                "line 22: RaftEnabled: not mapped: several managers coordinate through ZooKeeper "
                        + "(coordination.zookeeper)",
                "line 23: SomethingNew: not mapped: no Warden equivalent");
        assertThat(report).anySatisfy(l -> assertThat(l).startsWith("line 5: MySQLTopologyPassword: mapped to "
                + "credentials.password refers to ${WARDEN_PASSWORD}"));
        assertThat(report).anySatisfy(l -> assertThat(l).startsWith("line 21: PostIntermediateMasterFailoverProcesses:"
                + " not mapped").contains("1 command(s) dropped"));
        assertThat(report).anySatisfy(l -> assertThat(l).startsWith("line 3: ListenAddress: not mapped: orchestrator "
                + "keeps its port"));
        assertThat(report).hasSize(18);
    }

    @Test
    void aFilterForSomeClustersLeavesAutomaticFailoverOffSayingWhy() {
        OrchestratorImport.Result r = OrchestratorImport.convert("{\"RecoverMasterClusterFilters\": [\"^prod-\"]}");
        assertThat(load(r.yaml()).failover().automatic()).isFalse();
        assertThat(r.report().get(0).toString()).contains("failover.automatic: false").contains("[^prod-]");
    }

    @Test
    void badInputSaysWhatIsWrong() {
        assertThatThrownBy(() -> OrchestratorImport.convert("{\"A\": 1,\n \"B\": }")).hasMessageContaining(
                "not valid JSON at line 2");
        assertThatThrownBy(() -> OrchestratorImport.convert("[1, 2]")).hasMessageContaining("one JSON object");
    }

    @Test
    void theCommandWritesTheFileOnceAndNeverOverwrites(@TempDir Path dir) throws Exception {
        Path conf = Files.writeString(dir.resolve("orchestrator.conf.json"), CONF);
        Path out = dir.resolve("warden.yaml");
        Cli.Run r = Cli.run("import-orchestrator", conf.toString(), "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("key(s) mapped").contains("line 22: RaftEnabled: not mapped");
        assertThat(Files.readString(out)).contains("mode: observe");
        Cli.Run again = Cli.run("import-orchestrator", conf.toString(), "--out", out.toString());
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.err()).contains("exists; nothing was written");
        Cli.Run missing = Cli.run("import-orchestrator", dir.resolve("nope.json").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("cannot read");
    }
}
