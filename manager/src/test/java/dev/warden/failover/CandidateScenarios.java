package dev.warden.failover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.actions.Operation;
import dev.warden.sandbox.Ports;
import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxInstance;
import dev.warden.testing.Await;
import dev.warden.testing.ReplicaSql;
import dev.warden.testing.RootSql;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Safety on a primary with three replicas: who may be promoted, and what belongs to the cluster. A fresh sandbox
 * (s0 primary, s1..s3 replicas) per test.
 */
abstract class CandidateScenarios {

    abstract Sandbox sandbox();

    static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(40);

    boolean mysql() {
        return sandbox().flavor().flavor() == dev.warden.model.Flavor.MYSQL;
    }

    /** The sandbox's configuration with {@code server}'s promotion rule changed. */
    static String withPromotion(String yaml, SandboxInstance server, String rule) {
        return yaml.replaceFirst("port: " + server.port() + "\n        promotion: \\w+",
                "port: " + server.port() + "\n        promotion: " + rule);
    }

    /** A delayed replica and a filtered one are never promoted, though both are preferred and have everything. */
    @Test
    void delayedAndFilteredReplicasAreNeverPromoted() throws Exception {
        Sandbox sb = sandbox();
        SandboxInstance delayed = sb.replicas().get(0);
        SandboxInstance filtered = sb.replicas().get(1);
        SandboxInstance plain = sb.replicas().get(2);
        ReplicaSql.delay(sb, delayed, Duration.ofHours(1));
        ReplicaSql.ignoreDatabase(sb, filtered, "reporting_only");
        String yaml = withPromotion(Files.readString(sb.configFile()), plain, "neutral");
        try (FailoverHarness h = new FailoverHarness(sb, "failover:\n  catch_up_timeout: 3s\n", yaml)) {
            sb.kill(sb.primary());
            Operation op = h.awaitFailover(1, FAILOVER_TIMEOUT);
            assertThat(op.plan().candidate()).as(op.plan().excluded().toString()).isEqualTo(plain.key());
            assertThat(op.outcome()).as(op.summary()).isEqualTo(Operation.Outcome.SUCCEEDED);
            assertThat(op.plan().excluded()).anySatisfy(e -> {
                assertThat(e.server()).isEqualTo(delayed.key());
                assertThat(e.reason()).contains("delayed");
            }).anySatisfy(e -> {
                assertThat(e.server()).isEqualTo(filtered.key());
                assertThat(e.reason()).contains("filter");
            });
        }
    }

    /**
     * The cluster is s1 (replicating from s0, another site's primary) with s2 and s3 under it; s0 is not configured.
     * Warden never adopts s0 as this cluster's primary: it writes no heartbeat there and does not fail it over.
     */
    @Test
    void anUpstreamOutsideTheClusterIsNeverAdoptedAsItsPrimary() throws Exception {
        Sandbox sb = sandbox();
        SandboxInstance upstream = sb.primary();
        SandboxInstance top = sb.replicas().get(0);
        for (SandboxInstance r : sb.replicas().subList(1, 3)) {
            ReplicaSql.change(sb, r, "PORT = " + top.port());
            Await.until(r.name() + " replicating from " + top.name(), Duration.ofSeconds(20),
                    () -> RootSql.replication(sb, r), ("127.0.0.1:" + top.port() + " Yes Yes")::equals);
        }
        String yaml = Files.readString(sb.configFile()).replace("      - host: 127.0.0.1\n        port: "
                + upstream.port() + "\n        promotion: neutral\n", "");
        assertThat(yaml).doesNotContain("port: " + upstream.port() + "\n");
        try (FailoverHarness h = new FailoverHarness(sb, null, yaml, "cluster sandbox")) {
            Instant started = Instant.now();
            var c = FailoverScenarios.cyclesFor(h, started, Duration.ofSeconds(3));
            assertThat(c.snapshot().instances().keySet()).as("the upstream is not watched").doesNotContain(upstream.key());
            assertThat(RootSql.value(sb, upstream, "SELECT COUNT(*) FROM warden.heartbeat WHERE writer = 'test-daemon'"))
                    .as("no heartbeat written on another cluster's primary").isEqualTo("0");
            Instant killed = Instant.now();
            sb.kill(upstream);
            FailoverScenarios.cyclesFor(h, killed, FailoverScenarios.decisionTime(h));
            assertThat(h.failovers()).as("another cluster's primary is not failed over").isEmpty();
            assertThat(RootSql.value(sb, top, "SELECT @@read_only")).isEqualTo("1");
        }
    }

    /**
     * s1 also replicates from a server of another cluster on a second channel. It is not promoted, and its second
     * channel is left exactly as it was when it is re-pointed.
     */
    @Test
    void aSecondReplicationChannelIsLeftAlone() throws Exception {
        Sandbox sb = sandbox();
        SandboxInstance twoChannels = sb.replicas().get(0);
        int elsewhere = Ports.freeBlock(1);
        if (mysql()) {
            String change = RootSql.value(sb, twoChannels, "SELECT @@version").startsWith("8.0.1")
                    ? "CHANGE MASTER TO MASTER_HOST = '127.0.0.1', MASTER_PORT = " + elsewhere
                    + ", MASTER_USER = 'repl', MASTER_PASSWORD = 'repl-sandbox-pw', MASTER_AUTO_POSITION = 1 "
                    + "FOR CHANNEL 'reporting'"
                    : "CHANGE REPLICATION SOURCE TO SOURCE_HOST = '127.0.0.1', SOURCE_PORT = " + elsewhere
                    + ", SOURCE_USER = 'repl', SOURCE_PASSWORD = 'repl-sandbox-pw', SOURCE_AUTO_POSITION = 1 "
                    + "FOR CHANNEL 'reporting'";
            RootSql.exec(sb, twoChannels, change);
        } else {
            RootSql.exec(sb, twoChannels, "CHANGE MASTER 'reporting' TO MASTER_HOST = '127.0.0.1', MASTER_PORT = "
                    + elsewhere + ", MASTER_USER = 'repl', MASTER_PASSWORD = 'repl-sandbox-pw', "
                    + "MASTER_USE_GTID = slave_pos");
        }
        // Every replica as far as the others when the primary dies: one excluded from promotion but ahead of the
        // candidate is rightly left as it is (its relay log keeps what the candidate lacks), which is not this test.
        try (FailoverHarness h = new FailoverHarness(sb, "probe:\n  write_heartbeat: false\n")) {
            h.startWriter(sb.primary());
            h.stopWriterAndAwaitReplicasCaughtUp();
            sb.kill(sb.primary());
            Operation op = h.awaitFailover(1, FAILOVER_TIMEOUT);
            assertThat(op.outcome()).as(op.summary()).isEqualTo(Operation.Outcome.SUCCEEDED);
            assertThat(op.plan().candidate()).isNotEqualTo(twoChannels.key());
            assertThat(op.plan().leftBehind()).as(op.summary()).isEmpty();
            assertThat(op.plan().excluded()).anySatisfy(e -> {
                assertThat(e.server()).isEqualTo(twoChannels.key());
                assertThat(e.reason()).contains("reporting");
            });
            SandboxInstance newPrimary = FailoverScenarios.instanceAt(sb, op.plan().candidate());
            List<SandboxInstance> survivors = sb.replicas().stream().filter(r -> !r.equals(newPrimary)).toList();
            h.assertOnePrimary(newPrimary, survivors);
            String second = mysql()
                    ? RootSql.value(sb, twoChannels, "SELECT CONCAT(HOST, ':', PORT) FROM "
                    + "performance_schema.replication_connection_configuration WHERE CHANNEL_NAME = 'reporting'")
                    : channelSource(sb, twoChannels, "reporting");
            assertThat(second).as("the second channel is untouched").isEqualTo("127.0.0.1:" + elsewhere);
        }
    }

    static String channelSource(Sandbox sb, SandboxInstance i, String name) {
        try (var c = sb.root(i); var st = c.createStatement(); var rs = st.executeQuery("SHOW ALL SLAVES STATUS")) {
            while (rs.next()) {
                if (name.equals(rs.getString("Connection_name"))) {
                    return rs.getString("Master_Host") + ":" + rs.getString("Master_Port");
                }
            }
            return null;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
