package dev.warden.actions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.config.ConfigLoader;
import dev.warden.config.WardenConfig;
import dev.warden.dialect.Dialect;
import dev.warden.plan.Plan;
import dev.warden.plan.PlanKind;
import dev.warden.plan.Repoint;
import dev.warden.probe.ConnectionFactory;
import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxInstance;
import dev.warden.testing.Await;
import dev.warden.testing.RootSql;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A rejoin re-points an old primary under the new one only when it has nothing the new primary lacks, as read by the
 * step itself just before it changes anything: what the cycle saw may predate a write (here, a root session writing
 * on the read-only old primary after it was probed). Before, the step re-pointed it anyway: on MySQL it replicated
 * with the write silently skipped, on MariaDB it stopped on error 1236 and stayed configured as a broken replica.
 */
abstract class RejoinGuardScenarios {

    abstract Sandbox sandbox();

    boolean mysql() {
        return sandbox().flavor().flavor() == dev.warden.model.Flavor.MYSQL;
    }

    String executed(SandboxInstance i) {
        return RootSql.value(sandbox(), i, mysql() ? "SELECT @@gtid_executed" : "SELECT @@gtid_binlog_pos");
    }

    StepOutcome rejoin(SandboxInstance server, SandboxInstance newPrimary) throws Exception {
        WardenConfig config = ConfigLoader.load(sandbox().configFile()).config();
        var cluster = config.clusters().get(0);
        StepExecutor executor = new StepExecutor(new ConnectionFactory(cluster.credentials(), Duration.ofSeconds(2)),
                cluster.credentials(), config.replication());
        Repoint step = new Repoint(server.key(), newPrimary.key(), null, Duration.ofSeconds(5));
        Operation op = new Operation("op-test-rejoin", new Plan(PlanKind.REJOIN, "sandbox", "test",
                null, newPrimary.key(), "test", 0, List.of(), List.of(), List.of(step)), "test", List.of(),
                Instant.now());
        try (Sessions sessions = new Sessions(new ConnectionFactory(cluster.credentials(), Duration.ofSeconds(2)))) {
            return executor.run(step, op, sessions);
        }
    }

    @Test
    void anOldPrimaryWrittenAfterItWasProbedIsNotRepointedButAReplicaWithNothingExtraIs() throws Exception {
        Sandbox sb = sandbox();
        SandboxInstance old = sb.primary();
        SandboxInstance promoted = sb.replicas().get(0);
        SandboxInstance other = sb.replicas().get(1);
        Await.until("both replicas caught up", Duration.ofSeconds(20), () -> List.of(executed(old), executed(promoted),
                executed(other)), l -> l.get(0).equals(l.get(1)) && l.get(0).equals(l.get(2)));
        // What a failover leaves: the candidate replicates from nobody and is writable, the old primary read-only.
        RootSql.replicaCommand(sb, promoted, Dialect::stopReplica);
        RootSql.replicaCommand(sb, promoted, Dialect::resetReplicaAll);
        RootSql.exec(sb, promoted, mysql() ? "SET GLOBAL super_read_only = OFF" : "SET GLOBAL read_only = OFF",
                "SET GLOBAL read_only = OFF", "CREATE DATABASE rejoin_new_primary_write");
        RootSql.exec(sb, old, mysql() ? "SET GLOBAL super_read_only = ON" : "SET GLOBAL read_only = ON");

        // The other replica has everything the new primary has: it is re-pointed.
        StepOutcome fine = rejoin(other, promoted);
        assertThat(fine.failed()).as(fine.detail()).isFalse();
        assertThat(RootSql.replication(sb, other)).isEqualTo(promoted.key() + " Yes Yes");

        // A write that reaches only the old primary, after whatever a cycle read of it.
        String origin = RootSql.value(sb, old, mysql() ? "SELECT @@server_uuid" : "SELECT @@server_id");
        RootSql.exec(sb, old, mysql() ? "SET GLOBAL super_read_only = OFF" : "SET GLOBAL read_only = OFF",
                "CREATE DATABASE split_brain_write", mysql() ? "SET GLOBAL super_read_only = ON"
                        : "SET GLOBAL read_only = ON");
        StepOutcome refused = rejoin(old, promoted);
        assertThat(refused.failed()).as(refused.detail()).isTrue();
        assertThat(refused.detail()).contains(old.key() + " has 1 transaction(s) " + promoted.key() + " lacks")
                .contains(mysql() ? origin + ":" : "0-" + origin + "-").contains("was not re-pointed");
        assertThat(RootSql.replication(sb, old)).as("the old primary replicates from nobody").isNull();
        assertThat(RootSql.value(sb, old, "SELECT @@read_only")).isEqualTo("1");
    }
}
