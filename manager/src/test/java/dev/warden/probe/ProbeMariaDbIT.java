package dev.warden.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.dialect.Dialect;
import dev.warden.model.SemiSyncState;
import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxFlavor;
import dev.warden.sandbox.SandboxInstance;
import dev.warden.testing.Await;
import dev.warden.testing.Probes;
import dev.warden.testing.RootSql;
import dev.warden.testing.SandboxExtension;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ProbeMariaDbIT extends ProbeScenarios {
    @RegisterExtension
    static final SandboxExtension SANDBOX = SandboxExtension.of(SandboxFlavor.MARIADB);

    @Override
    Sandbox sandbox() {
        return SANDBOX.sandbox();
    }

    /**
     * Semi-sync is built into MariaDB (MySQL 8.0.15's artifact has no plugins). Its settings are re-read every
     * {@link ServerProber#SEMI_SYNC_SETTINGS_MAX_AGE} on a kept connection; a change made meanwhile shows within that.
     */
    @Test
    void seesSemiSyncTurnedOnOnAKeptConnection() {
        Sandbox sb = sandbox();
        SandboxInstance replica = sb.replicas().get(0);
        try (Probes p = new Probes(sb)) {
            Map<String, SemiSyncState> before = semiSync(p, sb.primary(), replica);
            assertThat(before.get("primary").summary()).isEqualTo("off");
            assertThat(before.get("replica").summary()).isEqualTo("off");
            RootSql.exec(sb, sb.primary(), "SET GLOBAL rpl_semi_sync_master_enabled = ON");
            RootSql.exec(sb, replica, "SET GLOBAL rpl_semi_sync_slave_enabled = ON");
            RootSql.replicaCommand(sb, replica, Dialect::stopReplicaIoThread);
            RootSql.replicaCommand(sb, replica, Dialect::startReplicaIoThread);
            Map<String, SemiSyncState> on = Await.until("semi-sync seen on", ServerProber.SEMI_SYNC_SETTINGS_MAX_AGE
                    .plusSeconds(10), () -> semiSync(p, sb.primary(), replica), m -> m.get("primary").sourceActive()
                    && m.get("replica").replicaActive());
            assertThat(on.get("primary").summary()).isEqualTo("source on (1 acks)");
            assertThat(on.get("replica").summary()).isEqualTo("replica on");
        } finally {
            RootSql.exec(sb, sb.primary(), "SET GLOBAL rpl_semi_sync_master_enabled = OFF");
            RootSql.exec(sb, replica, "SET GLOBAL rpl_semi_sync_slave_enabled = OFF");
            RootSql.replicaCommand(sb, replica, Dialect::stopReplicaIoThread);
            RootSql.replicaCommand(sb, replica, Dialect::startReplicaIoThread);
        }
    }

    private static Map<String, SemiSyncState> semiSync(Probes p, SandboxInstance primary, SandboxInstance replica) {
        var snap = p.prober.probe("sandbox", p.cluster.keys(), null);
        return Map.of("primary", snap.get(primary.key()).orElseThrow().state().semiSync(),
                "replica", snap.get(replica.key()).orElseThrow().state().semiSync());
    }
}
