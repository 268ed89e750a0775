package dev.warden.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.model.ClusterSnapshot;
import dev.warden.model.Flavor;
import dev.warden.model.InstanceSnapshot;
import dev.warden.model.ReadOnlyState;
import dev.warden.model.ReplicaStatus;
import dev.warden.model.ServerState;
import dev.warden.model.ThreadState;
import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxInstance;
import dev.warden.testing.Await;
import dev.warden.testing.Cli;
import dev.warden.testing.Probes;
import dev.warden.testing.RootSql;
import dev.warden.topology.HeartbeatLog;
import dev.warden.topology.ReplicationLag;
import dev.warden.topology.Topology;
import dev.warden.topology.TopologyNode;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Probing a healthy sandbox: read-only scenarios, one sandbox per flavor and class. */
abstract class ProbeScenarios {

    abstract Sandbox sandbox();

    /**
     * Several managers write heartbeats; a follower's view may be a cycle older than the leader's fence. The
     * guarded write does nothing on a read-only server, even for an account read_only does not stop (root here;
     * on MariaDB any SUPER account), and writes as usual on a writable one.
     */
    @Test
    void theGuardedHeartbeatWriteChangesNothingOnAReadOnlyServer() throws Exception {
        Sandbox sb = sandbox();
        String guarded;
        try (Connection c = sb.root(sb.primary()); Statement st = c.createStatement()) {
            java.sql.ResultSet v = st.executeQuery("SELECT VERSION(), @@version_comment");
            v.next();
            guarded = dev.warden.dialect.Dialects.forVersion(dev.warden.model.ServerVersion.parse(v.getString(1),
                            v.getString(2)))
                    .heartbeatWriteWhileWritableStatement().text().replace("?", "'guard-test'");
            st.execute(guarded);
            long before = seq(st);
            st.execute(sb.flavor().flavor() == dev.warden.model.Flavor.MYSQL ? "SET GLOBAL super_read_only = 1"
                    : "SET GLOBAL read_only = 1");
            try {
                int written;
                try {
                    written = st.executeUpdate(guarded);
                } catch (java.sql.SQLException refused) {
                    written = 0; // MySQL's super_read_only refuses the statement itself: just as good
                }
                assertThat(written).isZero();
                assertThat(seq(st)).as("nothing written on the read-only server").isEqualTo(before);
            } finally {
                st.execute(sb.flavor().flavor() == dev.warden.model.Flavor.MYSQL
                        ? "SET GLOBAL super_read_only = 0" : "SET GLOBAL read_only = 0");
                st.execute("SET GLOBAL read_only = 0");
            }
            st.execute(guarded);
            assertThat(seq(st)).as("written again once writable").isGreaterThan(before);
        }
    }

    private static long seq(Statement st) throws java.sql.SQLException {
        try (java.sql.ResultSet rs = st.executeQuery("SELECT seq FROM warden.heartbeat WHERE server_id = @@server_id")) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }

    @Test
    void readsPrimaryAndReplicasState() throws Exception {
        Sandbox sb = sandbox();
        try (Connection c = sb.root(sb.primary()); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE IF NOT EXISTS probe_test");
            st.execute("CREATE TABLE IF NOT EXISTS probe_test.t (id INT PRIMARY KEY)");
            st.execute("REPLACE INTO probe_test.t VALUES (1)");
        }
        try (Probes p = new Probes(sb)) {
            ClusterSnapshot snap = p.prober.probe("sandbox", p.cluster.keys(), null);
            InstanceSnapshot primary = snap.get(sb.primary().key()).orElseThrow();
            assertThat(primary.reachable()).as(primary.error()).isTrue();
            ServerState ps = primary.state();
            assertThat(ps.version().flavor()).isEqualTo(sb.flavor().flavor());
            assertThat(ps.version().toString()).contains(sb.version());
            assertThat(ps.readOnly()).isEqualTo(ReadOnlyState.WRITABLE);
            assertThat(ps.isReplica()).isFalse();
            assertThat(ps.serverId()).isEqualTo(sb.primary().serverId());
            assertThat(ps.gtidExecuted().isEmpty()).isFalse();
            assertThat(ps.settings().binlogEnabled()).isTrue();
            assertThat(ps.settings().logReplicaUpdates()).isTrue();
            assertThat(ps.settings().gtidUsable(ps.flavor())).isTrue();
            assertThat(ps.connectedReplicas()).extracting(r -> r.keyOrNull())
                    .containsExactlyInAnyOrderElementsOf(sb.replicas().stream().map(SandboxInstance::key).toList());
            assertThat(ps.problems()).isEmpty();
            if (ps.flavor() == Flavor.MYSQL) {
                assertThat(ps.serverUuid()).matches("[0-9a-f-]{36}");
            }

            for (SandboxInstance r : sb.replicas()) {
                InstanceSnapshot rs = snap.get(r.key()).orElseThrow();
                assertThat(rs.reachable()).as(rs.error()).isTrue();
                ServerState s = rs.state();
                assertThat(s.problems()).isEmpty();
                assertThat(s.readOnly()).isEqualTo(ps.flavor() == Flavor.MYSQL
                        ? ReadOnlyState.SUPER_READ_ONLY : ReadOnlyState.READ_ONLY);
                ReplicaStatus ch = s.mainChannel().orElseThrow();
                assertThat(ch.source()).isEqualTo(sb.primary().key());
                assertThat(ch.ioThread()).isEqualTo(ThreadState.RUNNING);
                assertThat(ch.sqlThread()).isEqualTo(ThreadState.RUNNING);
                assertThat(ch.autoPosition()).isTrue();
                assertThat(ch.sourceServerId()).isEqualTo(sb.primary().serverId());
                assertThat(ch.receiver().heartbeatPeriod()).isEqualTo(Duration.ofMillis(500));
            }
            // the replicas catch up with the primary's write
            Await.until("replicas to execute the primary's transactions", Duration.ofSeconds(20),
                    () -> p.prober.probe("sandbox", p.cluster.keys(), null),
                    s -> sb.replicas().stream().allMatch(r -> s.get(r.key()).orElseThrow().state().gtidExecuted()
                            .contains(s.get(sb.primary().key()).orElseThrow().state().gtidExecuted())));
        }
    }

    @Test
    void measuresSubSecondLagFromTheHeartbeat() {
        Sandbox sb = sandbox();
        try (Probes p = new Probes(sb)) {
            ClusterSnapshot first = p.prober.probe("sandbox", p.cluster.keys(), null);
            long primaryId = first.get(sb.primary().key()).orElseThrow().state().serverId();
            HeartbeatLog log = HeartbeatLog.empty(primaryId);
            ClusterProber.HeartbeatTarget target = new ClusterProber.HeartbeatTarget(sb.primary().key(), primaryId);
            long previousSeq = 0;
            Topology t = null;
            for (int cycle = 0; cycle < 5; cycle++) {
                ClusterSnapshot snap = p.prober.probe("sandbox", p.cluster.keys(), target);
                InstanceSnapshot ps = snap.get(sb.primary().key()).orElseThrow();
                assertThat(ps.heartbeatWrite()).isNotNull();
                assertThat(ps.heartbeatWrite().written()).as(ps.heartbeatWrite().detail()).isTrue();
                assertThat(ps.heartbeatWrite().sequence()).isGreaterThan(previousSeq);
                previousSeq = ps.heartbeatWrite().sequence();
                log = log.with(ps.heartbeatWrite());
                t = Topology.of(snap, p.cluster.keys(), log);
            }
            List<TopologyNode> replicas = t.replicas();
            assertThat(replicas).hasSize(sb.replicas().size());
            for (TopologyNode n : replicas) {
                ReplicationLag lag = n.lag();
                assertThat(lag.basis()).isEqualTo(ReplicationLag.Basis.HEARTBEAT);
                assertThat(lag.estimate()).as(n.key() + " lag " + lag.display()).isLessThan(Duration.ofSeconds(1));
            }
        }
    }

    @Test
    void discoversTheReplicasFromThePrimaryAlone() {
        Sandbox sb = sandbox();
        try (Probes p = new Probes(sb)) {
            Discovery.Result r = Discovery.discover(p.prober, "sandbox", List.of(sb.primary().key()), 50,
                    Duration.ofSeconds(5));
            assertThat(r.report().found()).containsExactlyInAnyOrderElementsOf(
                    sb.instances().stream().map(SandboxInstance::key).toList());
            assertThat(r.report().foundNotConfigured()).containsExactlyInAnyOrderElementsOf(
                    sb.replicas().stream().map(SandboxInstance::key).toList());
            assertThat(r.report().configuredNotFound()).isEmpty();
        }
    }

    @Test
    void discoversTheWholeClusterFromOneReplica() {
        Sandbox sb = sandbox();
        try (Probes p = new Probes(sb)) {
            Discovery.Result r = Discovery.discover(p.prober, "sandbox", List.of(sb.replicas().get(1).key()), 50,
                    Duration.ofSeconds(5));
            assertThat(r.report().found()).hasSize(sb.instances().size());
            Topology t = Topology.of(r.snapshot(), List.of(sb.replicas().get(1).key()), null);
            assertThat(t.primary().orElseThrow().key()).isEqualTo(sb.primary().key());
        }
    }

    @Test
    void reportsConfiguredServersThatAreNotFound() {
        Sandbox sb = sandbox();
        var ghost = new dev.warden.model.InstanceKey("127.0.0.1", dev.warden.sandbox.Ports.freeBlock(1));
        try (Probes p = new Probes(sb)) {
            Discovery.Result r = Discovery.discover(p.prober, "sandbox", List.of(sb.primary().key(), ghost), 50,
                    Duration.ofSeconds(5));
            assertThat(r.report().configuredNotFound()).containsExactly(ghost);
            assertThat(r.snapshot().get(ghost).orElseThrow().reachability())
                    .isEqualTo(dev.warden.model.Reachability.REFUSED);
        }
    }

    @Test
    void statusPrintsTheTopologyWithSubSecondLag() {
        Sandbox sb = sandbox();
        Cli.Run run = Cli.run("status", "-c", sb.configFile().toString());
        assertThat(run.exitCode()).as(run.toString()).isZero();
        // Sub-second either way: "<=" when a replica already has the heartbeat just written, ">=" when it is
        // still applying it (a fresh sandbox's first heartbeat creates the row).
        assertThat(run.out()).containsPattern("cluster sandbox: primary " + java.util.regex.Pattern.quote(
                sb.primary().key().toString()) + " writable, 2/2 replicas replicating, max lag (<=|>=)0\\.\\d{3}s");
        for (SandboxInstance r : sb.replicas()) {
            assertThat(run.out()).containsPattern("  " + java.util.regex.Pattern.quote(r.key().toString())
                    + "\\s+replica\\s+reachable \\d+ms\\s+\\S+\\s+running\\s+running\\s+(<=|>=)0\\.\\d{3}s");
        }
        Cli.Run json = Cli.run("status", "-c", sb.configFile().toString(), "--json");
        assertThat(json.exitCode()).isZero();
        assertThat(json.out()).contains("\"role\" : \"primary\"").contains("\"lagSeconds\"");
    }

    @Test
    void checkPassesOnTheSandbox() {
        Cli.Run run = Cli.run("check", "-c", sandbox().configFile().toString());
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("verdict: PASS (0 failed, 0 warnings)").doesNotContain("FAIL");
    }

    @Test
    void checkFailsOnAMissingGrantAndSaysWhichStatementFixesIt(@TempDir java.nio.file.Path dir) throws Exception {
        Sandbox sb = sandbox();
        boolean maria = sb.flavor().flavor() == Flavor.MARIADB;
        String grants = dev.warden.sandbox.SqlScripts.fill(dev.warden.sandbox.SqlScripts.load(
                maria ? "sql/grants/mariadb.sql" : "sql/grants/mysql.sql"), java.util.Map.of("WARDEN_USER", "limited",
                "WARDEN_PASSWORD", "limited-pw", "WARDEN_HOST", "%", "REPL_USER", "repl", "REPL_PASSWORD",
                "repl-sandbox-pw", "REPL_HOST", "%"));
        java.util.List<String> statements = new java.util.ArrayList<>(dev.warden.sandbox.SqlScripts.statements(grants));
        String missing = maria ? "SLAVE MONITOR" : "REPLICATION CLIENT";
        statements.add("REVOKE " + missing + " ON *.* FROM 'limited'@'%'");
        RootSql.exec(sb, sb.primary(), statements.toArray(String[]::new));
        java.nio.file.Path cfg = dir.resolve("limited.yaml");
        java.nio.file.Files.writeString(cfg, java.nio.file.Files.readString(sb.configFile())
                .replace("user: warden", "user: limited").replace("password: warden-sandbox-pw", "password: limited-pw"));
        Await.until("the account to replicate to every replica", Duration.ofSeconds(20),
                () -> sb.replicas().stream().map(r -> RootSql.value(sb, r,
                        "SELECT COUNT(*) FROM mysql.user WHERE user = 'limited'")).toList(),
                counts -> counts.stream().allMatch("1"::equals));

        Cli.Run run = Cli.run("check", "-c", cfg.toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).contains("FAIL  grants").contains("'limited'@'%' lacks 1 privilege")
                .contains("GRANT " + missing + " ON *.* TO 'limited'@'%'").contains("verdict: FAIL");

        // What the missing grant hides is reported by the probe as a problem, not as a dead server.
        try (Probes p = new Probes(sb)) {
            var creds = new dev.warden.config.Credentials("limited", dev.warden.config.Secret.of("limited-pw"), "repl",
                    dev.warden.config.Secret.of("x"), dev.warden.config.TlsMode.PREFERRED, false);
            var pool = java.util.concurrent.Executors.newCachedThreadPool();
            try (ClusterProber limited = new ClusterProber(new ConnectionFactory(creds, Duration.ofSeconds(2)), pool,
                    java.time.Clock.systemUTC(), Duration.ofSeconds(5), Duration.ofSeconds(1), "test")) {
                InstanceSnapshot r = limited.probe("sandbox", List.of(sb.replicas().get(0).key()), null)
                        .get(sb.replicas().get(0).key()).orElseThrow();
                assertThat(r.reachable()).isTrue();
                assertThat(r.state().problems()).anySatisfy(pr -> assertThat(pr).startsWith("cannot read replica status"));
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
