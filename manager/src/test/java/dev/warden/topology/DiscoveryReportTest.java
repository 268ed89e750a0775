package dev.warden.topology;

import static dev.warden.testing.Snapshots.cluster;
import static dev.warden.testing.Snapshots.server;
import static dev.warden.testing.Snapshots.unreachable;
import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.model.InstanceKey;
import dev.warden.model.Reachability;
import java.util.List;
import org.junit.jupiter.api.Test;

class DiscoveryReportTest {

    @Test
    void comparesWhatWasFoundWithTheConfiguration() {
        var snap = cluster(
                server("10.0.0.1:3306").id(1).connectedReplica(2, "10.0.0.2", 3306).connectedReplica(9, "", 3306).build(),
                server("10.0.0.2:3306").id(2).replicaOf("10.0.0.1:3306").build(),
                unreachable("10.0.0.7:3306", Reachability.REFUSED),
                server("10.0.0.8:3306").id(8).readOnly(dev.warden.model.ReadOnlyState.READ_ONLY).build());
        DiscoveryReport r = DiscoveryReport.of(snap, List.of(InstanceKey.parse("10.0.0.1:3306"),
                InstanceKey.parse("10.0.0.7:3306"), InstanceKey.parse("10.0.0.8:3306")));
        assertThat(r.configuredNotFound()).containsExactly(InstanceKey.parse("10.0.0.7:3306"));
        assertThat(r.foundNotConfigured()).containsExactly(InstanceKey.parse("10.0.0.2:3306"));
        assertThat(r.notes()).anySatisfy(n -> assertThat(n).contains("server_id 9").contains("report_host"));
        assertThat(r.notes()).anySatisfy(n -> assertThat(n).startsWith("10.0.0.8:3306 is reachable but not connected"));
        assertThat(DiscoveryReport.neighbours(snap.get(InstanceKey.parse("10.0.0.1:3306")).orElseThrow()))
                .containsExactly(InstanceKey.parse("10.0.0.2:3306"));
    }
}
