package dev.warden.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.dialect.Dialect;
import dev.warden.dialect.Dialects;
import dev.warden.dialect.Sql;
import dev.warden.model.ClusterSnapshot;
import dev.warden.model.Flavor;
import dev.warden.model.ReplicaStatus;
import dev.warden.model.ServerVersion;
import dev.warden.model.ThreadState;
import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxInstance;
import dev.warden.testing.Await;
import dev.warden.testing.Probes;
import dev.warden.testing.RootSql;
import dev.warden.topology.ClusterSummary;
import dev.warden.topology.Topology;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Replication faults a probe must report: a stopped IO thread, a stopped SQL thread, an SQL error. One sandbox
 * per class; each test restores replication and waits for it before the next.
 */
abstract class ReplicationFaultScenarios {

    abstract Sandbox sandbox();

    Probes probes;
    Dialect dialect;
    boolean mysql;

    @BeforeEach
    void setUp() {
        probes = new Probes(sandbox());
        ServerVersion v = probes.prober.probe("sandbox", probes.cluster.keys(), null, Duration.ofSeconds(5))
                .get(sandbox().primary().key()).orElseThrow().state().version();
        dialect = Dialects.forVersion(v);
        mysql = v.flavor() == Flavor.MYSQL;
        RootSql.exec(sandbox(), sandbox().primary(), "CREATE DATABASE IF NOT EXISTS faults",
                "CREATE TABLE IF NOT EXISTS faults.t (id INT PRIMARY KEY)");
    }

    @AfterEach
    void restore() {
        for (SandboxInstance r : sandbox().replicas()) {
            RootSql.exec(sandbox(), r, dialect.startReplica().text());
        }
        Await.until("replication running on every replica", Duration.ofSeconds(30), this::probe,
                s -> sandbox().replicas().stream().allMatch(r -> channel(s, r).bothThreadsRunning()));
        probes.close();
    }

    ClusterSnapshot probe() {
        return probes.prober.probe("sandbox", probes.cluster.keys(), null);
    }

    static ReplicaStatus channel(ClusterSnapshot s, SandboxInstance r) {
        return s.get(r.key()).orElseThrow().state().mainChannel().orElseThrow();
    }

    String sentence(ClusterSnapshot s) {
        return ClusterSummary.sentence(Topology.of(s, probes.cluster.keys(), null));
    }

    @Test
    void reportsAStoppedIoThread() {
        SandboxInstance r = sandbox().replicas().get(0);
        RootSql.exec(sandbox(), r, dialect.stopReplicaIoThread().text());
        ClusterSnapshot s = probe();
        assertThat(channel(s, r).ioThread()).isEqualTo(ThreadState.STOPPED);
        assertThat(channel(s, r).sqlThread()).isEqualTo(ThreadState.RUNNING);
        assertThat(sentence(s)).contains("1/2 replicas replicating").contains(r.key() + " IO thread stopped");
    }

    @Test
    void reportsAStoppedSqlThread() {
        SandboxInstance r = sandbox().replicas().get(1);
        RootSql.exec(sandbox(), r, dialect.stopReplicaSqlThread().text());
        ClusterSnapshot s = probe();
        assertThat(channel(s, r).sqlThread()).isEqualTo(ThreadState.STOPPED);
        assertThat(channel(s, r).ioThread()).isEqualTo(ThreadState.RUNNING);
        assertThat(channel(s, r).sqlBroken()).isFalse();
        assertThat(sentence(s)).contains(r.key() + " SQL thread stopped");
    }

    @Test
    void reportsAReplicationErrorWithItsNumber() {
        SandboxInstance r = sandbox().replicas().get(0);
        int id = 1000 + (int) (System.nanoTime() % 100000);
        // A row only the replica has, then the same key on the primary: the replica's SQL thread stops on 1062.
        RootSql.execLocallyOnReplica(sandbox(), r, mysql, "INSERT INTO faults.t VALUES (" + id + ")");
        RootSql.exec(sandbox(), sandbox().primary(), "INSERT INTO faults.t VALUES (" + id + ")");
        ClusterSnapshot s = Await.until("the SQL thread to stop on the duplicate key", Duration.ofSeconds(20),
                this::probe, snap -> channel(snap, r).sqlBroken());
        ReplicaStatus ch = channel(s, r);
        assertThat(ch.sqlError().errno()).isEqualTo(1062);
        assertThat(ch.sqlError().message()).isNotBlank();
        assertThat(ch.ioThread()).isEqualTo(ThreadState.RUNNING);
        assertThat(sentence(s)).contains(r.key() + " replication broken (SQL error 1062)");
        // Repair: remove the conflicting row locally; the SQL thread retries the primary's insert.
        RootSql.execLocallyOnReplica(sandbox(), r, mysql, "DELETE FROM faults.t WHERE id = " + id);
    }

    @Test
    void everyDialectStatementRunsOnTheRealServer() {
        SandboxInstance r = sandbox().replicas().get(1);
        SandboxInstance other = sandbox().replicas().get(0);
        RootSql.exec(sandbox(), sandbox().primary(), "INSERT INTO faults.t VALUES (" + (200000 + System.nanoTime() % 100000) + ")");
        String executed = probe().get(sandbox().primary().key()).orElseThrow().state().gtidExecuted().toString();
        Sql wait = dialect.waitForExecuted(dev.warden.model.GtidPosition.parse(mysql ? Flavor.MYSQL : Flavor.MARIADB,
                executed), Duration.ofSeconds(10));
        assertThat(RootSql.value(sandbox(), r, wait.text())).isEqualTo("0");
        for (Sql q : java.util.List.of(dialect.binlogStatusQuery(), dialect.clientSessionsQuery(),
                dialect.semiSyncVariablesQuery(), dialect.semiSyncStatusQuery(), dialect.connectedReplicasQuery(),
                dialect.heartbeatReadQuery(), dialect.variablesQuery(), dialect.replicaStatusQuery())) {
            RootSql.value(sandbox(), sandbox().primary(), q.text());
        }
        dialect.receiverStatusQuery().ifPresent(q -> RootSql.value(sandbox(), r, q.text()));
        // Re-point r under the other replica and back: stop, reset, change source, start.
        RootSql.exec(sandbox(), r, dialect.stopReplica().text(), dialect.resetReplicaAll().text(),
                dialect.changeSource(new dev.warden.dialect.ChangeSourceSpec(other.key(), "repl", "repl-sandbox-pw",
                        Duration.ofMillis(500), 1, 86400)).text(), dialect.startReplica().text());
        ClusterSnapshot chained = Await.until("r replicating from the other replica", Duration.ofSeconds(20),
                this::probe, s -> channel(s, r).bothThreadsRunning());
        assertThat(channel(chained, r).source()).isEqualTo(other.key());
        assertThat(Topology.of(chained, probes.cluster.keys(), null).depth(r.key())).isEqualTo(2);
        for (var target : dev.warden.model.ReadOnlyState.values()) {
            for (Sql s : dialect.setReadOnly(target)) {
                RootSql.exec(sandbox(), r, s.text());
            }
            var seen = probe().get(r.key()).orElseThrow().state().readOnly();
            assertThat(seen).isEqualTo(!mysql && target == dev.warden.model.ReadOnlyState.SUPER_READ_ONLY
                    ? dev.warden.model.ReadOnlyState.READ_ONLY : target);
        }
        RootSql.exec(sandbox(), r, dialect.setReadOnly(dev.warden.model.ReadOnlyState.SUPER_READ_ONLY).get(0).text(),
                dialect.stopReplica().text(), dialect.resetReplicaAll().text(),
                dialect.changeSource(new dev.warden.dialect.ChangeSourceSpec(sandbox().primary().key(), "repl",
                        "repl-sandbox-pw", Duration.ofMillis(500), 1, 86400)).text());
    }
}
