package dev.warden.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.model.Flavor;
import dev.warden.model.InstanceSnapshot;
import dev.warden.model.Reachability;
import dev.warden.model.ReadOnlyState;
import dev.warden.model.ReplicationSettings;
import dev.warden.testing.Snapshots;
import dev.warden.topology.Role;
import java.util.List;
import org.junit.jupiter.api.Test;

class GrantChecksTest {

    static final List<String> MYSQL_FULL = List.of(
            "GRANT PROCESS, RELOAD, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO `warden`@`%`",
            "GRANT CONNECTION_ADMIN,REPLICATION_SLAVE_ADMIN,SYSTEM_VARIABLES_ADMIN ON *.* TO `warden`@`%`",
            "GRANT SELECT ON `performance_schema`.* TO `warden`@`%`",
            "GRANT SELECT, INSERT, UPDATE ON `warden`.* TO `warden`@`%`");

    static final List<String> MARIADB_FULL = List.of(
            "GRANT RELOAD, PROCESS, REPLICATION SLAVE, BINLOG MONITOR, CONNECTION ADMIN, READ_ONLY ADMIN, "
                    + "REPLICATION SLAVE ADMIN, REPLICATION MASTER ADMIN, SLAVE MONITOR ON *.* TO `warden`@`%` "
                    + "IDENTIFIED BY PASSWORD '*B69027D44F6E5EDC07F1AEAD1477967B16F28227'",
            "GRANT SELECT, INSERT, UPDATE ON `warden`.* TO `warden`@`%`");

    static List<GrantRequirement> missing(Flavor f, List<String> lines) {
        GrantSet g = GrantSet.parse(lines);
        return GrantRequirements.forFlavor(f).stream().filter(r -> !r.metBy(g)).toList();
    }

    @Test
    void theGrantFilesSatisfyTheRequirements() {
        assertThat(missing(Flavor.MYSQL, MYSQL_FULL)).isEmpty();
        assertThat(missing(Flavor.MARIADB, MARIADB_FULL)).isEmpty();
        assertThat(missing(Flavor.MYSQL, List.of("GRANT ALL PRIVILEGES ON *.* TO `root`@`localhost`"))).isEmpty();
    }

    @Test
    void findsWhatIsMissing() {
        List<String> lines = List.of(MYSQL_FULL.get(0).replace("REPLICATION CLIENT", "USAGE"), MYSQL_FULL.get(1),
                MYSQL_FULL.get(3));
        assertThat(missing(Flavor.MYSQL, lines)).extracting(r -> r.privilege() + "@" + r.schema())
                .containsExactly("REPLICATION CLIENT@null", "SELECT@performance_schema");
    }

    @Test
    void superCoversDynamicPrivilegesButNotSchemaOnes() {
        List<String> lines = List.of("GRANT PROCESS, RELOAD, REPLICATION SLAVE, SUPER ON *.* TO `w`@`%`");
        assertThat(missing(Flavor.MYSQL, lines)).extracting(GrantRequirement::privilege)
                .containsExactly("SELECT", "SELECT", "INSERT", "UPDATE");
    }

    @Test
    void rolesAreNoticed() {
        assertThat(GrantSet.parse(List.of("GRANT USAGE ON *.* TO `w`@`%`", "GRANT `dba`@`%` TO `w`@`%`")).usesRoles())
                .isTrue();
        assertThat(GrantSet.parse(MYSQL_FULL).usesRoles()).isFalse();
    }

    @Test
    void aMissingGrantFailsTheCheckWithTheStatementToRun() {
        InstanceSnapshot s = Snapshots.server("10.0.0.1:3306").id(1).build();
        List<String> lines = List.of(MYSQL_FULL.get(0).replace(", REPLICATION CLIENT", ""), MYSQL_FULL.get(1),
                MYSQL_FULL.get(2), MYSQL_FULL.get(3));
        List<CheckResult> results = ServerChecks.evaluate(new ServerFacts(s, GrantSet.parse(lines), "'warden'@'%'",
                null), Role.PRIMARY, "warden");
        CheckResult grants = results.stream().filter(r -> r.check().equals("grants")).findFirst().orElseThrow();
        assertThat(grants.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(grants.detail()).contains("lacks 1 privilege")
                .contains("GRANT REPLICATION CLIENT ON *.* TO 'warden'@'%'");
    }

    @Test
    void settingsThatBreakFailoverFail() {
        InstanceSnapshot noGtid = Snapshots.server("10.0.0.1:3306").id(1)
                .settings(new ReplicationSettings(true, "ROW", false, "OFF", false, false)).build();
        List<CheckResult> results = ServerChecks.evaluate(new ServerFacts(noGtid, GrantSet.parse(MYSQL_FULL),
                "'warden'@'%'", null), Role.PRIMARY, "warden");
        assertThat(results).filteredOn(r -> r.verdict() == Verdict.FAIL).extracting(CheckResult::check)
                .containsExactly("gtid", "binlog");
        InstanceSnapshot writableReplica = Snapshots.server("10.0.0.2:3306").id(2).replicaOf("10.0.0.1:3306")
                .readOnly(ReadOnlyState.WRITABLE).filePosition().build();
        List<CheckResult> r2 = ServerChecks.evaluate(new ServerFacts(writableReplica, GrantSet.parse(MYSQL_FULL),
                "'warden'@'%'", null), Role.REPLICA, "warden");
        assertThat(r2).filteredOn(r -> r.check().equals("read_only")).extracting(CheckResult::verdict)
                .containsExactly(Verdict.WARN);
        assertThat(r2).filteredOn(r -> r.check().equals("replication")).extracting(CheckResult::detail)
                .allSatisfy(d -> assertThat(d).contains("SOURCE_AUTO_POSITION=1"));
    }

    @Test
    void anUnreachableServerSaysWhatToLookAt() {
        InstanceSnapshot s = Snapshots.unreachable("10.0.0.1:3306", Reachability.AUTH_FAILED);
        List<CheckResult> results = ServerChecks.evaluate(new ServerFacts(s, null, null, "unreachable"),
                Role.UNKNOWN, "warden");
        assertThat(results).hasSize(1);
        assertThat(results.get(0).verdict()).isEqualTo(Verdict.FAIL);
        assertThat(results.get(0).detail()).contains("credentials.user (warden)");
    }

    @Test
    void clusterChecksCatchDuplicateServerIdsAndTwoPrimaries() {
        var t = dev.warden.topology.Topology.of(Snapshots.cluster(
                Snapshots.server("10.0.0.1:3306").id(1).build(),
                Snapshots.server("10.0.0.2:3306").id(1).build()), List.of(), null);
        List<CheckResult> results = ClusterChecks.evaluate(t);
        assertThat(results).filteredOn(r -> r.verdict() == Verdict.FAIL).extracting(CheckResult::check)
                .containsExactly("topology", "server_id", "server_uuid");
    }
}
