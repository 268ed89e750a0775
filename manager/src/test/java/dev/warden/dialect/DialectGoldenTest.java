package dev.warden.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.model.Flavor;
import dev.warden.model.GtidPosition;
import dev.warden.model.InstanceKey;
import dev.warden.model.ReadOnlyState;
import dev.warden.model.ServerVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Renders every statement of every dialect, for the versions where the syntax changes, and compares with
 * src/test/resources/golden/dialects.txt. After an intended change, regenerate with
 * {@code mvn test -Dtest=DialectGoldenTest -Dwarden.golden.update=true} and review the diff.
 */
class DialectGoldenTest {

    static final List<ServerVersion> VERSIONS = List.of(
            ServerVersion.of(Flavor.MYSQL, 8, 0, 15),
            ServerVersion.of(Flavor.MYSQL, 8, 0, 22),
            ServerVersion.of(Flavor.MYSQL, 8, 0, 23),
            ServerVersion.of(Flavor.MYSQL, 8, 0, 26),
            ServerVersion.of(Flavor.MYSQL, 8, 4, 3),
            ServerVersion.of(Flavor.MYSQL, 9, 7, 4),
            ServerVersion.parse("10.11.19-MariaDB-0+deb12u1-log", null),
            ServerVersion.parse("11.8.6-MariaDB", null));

    /** Every statement a dialect can emit, by name. */
    static Map<String, List<Sql>> render(Dialect d) {
        boolean maria = d.version().isMariaDb();
        GtidPosition pos = maria ? GtidPosition.parse(Flavor.MARIADB, "0-1000-42")
                : GtidPosition.parse(Flavor.MYSQL, "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-42");
        ChangeSourceSpec spec = new ChangeSourceSpec(new InstanceKey("db-2.example.com", 3306), "repl",
                "s3cr'et\\pw", Duration.ofMillis(500), 1, 86400);
        Map<String, List<Sql>> m = new LinkedHashMap<>();
        m.put("variables", List.of(d.variablesQuery()));
        m.put("replicaStatus", List.of(d.replicaStatusQuery()));
        m.put("connectedReplicas", List.of(d.connectedReplicasQuery()));
        m.put("receiverStatus", d.receiverStatusQuery().map(List::of).orElse(List.of()));
        m.put("semiSyncVariables", List.of(d.semiSyncVariablesQuery()));
        m.put("semiSyncStatus", List.of(d.semiSyncStatusQuery()));
        m.put("binlogStatus", List.of(d.binlogStatusQuery()));
        m.put("heartbeatRead", List.of(d.heartbeatReadQuery()));
        m.put("heartbeatWrite", List.of(d.heartbeatWriteStatement()));
        m.put("changeSource", List.of(d.changeSource(spec)));
        m.put("startReplica", List.of(d.startReplica()));
        m.put("stopReplica", List.of(d.stopReplica()));
        m.put("startReplicaIoThread", List.of(d.startReplicaIoThread()));
        m.put("stopReplicaIoThread", List.of(d.stopReplicaIoThread()));
        m.put("startReplicaSqlThread", List.of(d.startReplicaSqlThread()));
        m.put("stopReplicaSqlThread", List.of(d.stopReplicaSqlThread()));
        m.put("resetReplicaAll", List.of(d.resetReplicaAll()));
        m.put("alignReplicaPosition", d.alignReplicaPosition().map(List::of).orElse(List.of()));
        m.put("setSuperReadOnly", d.setReadOnly(ReadOnlyState.SUPER_READ_ONLY));
        m.put("setReadOnly", d.setReadOnly(ReadOnlyState.READ_ONLY));
        m.put("setWritable", d.setReadOnly(ReadOnlyState.WRITABLE));
        m.put("waitForExecuted", List.of(d.waitForExecuted(pos, Duration.ofMillis(1500))));
        m.put("clientSessions", List.of(d.clientSessionsQuery()));
        m.put("killConnection", List.of(d.killConnection(42)));
        ChangeSourceSpec onChannel = new ChangeSourceSpec(spec.source(), spec.user(), spec.password(),
                spec.heartbeatPeriod(), 1, 86400, "reporting");
        m.put("changeSourceOnChannel", List.of(d.changeSource(onChannel)));
        m.put("stopReplicaOnDefaultChannel", List.of(d.stopReplica("")));
        m.put("startReplicaOnChannel", List.of(d.startReplica("reporting")));
        m.put("stopReplicaIoThreadOnChannel", List.of(d.stopReplicaIoThread("reporting")));
        m.put("startReplicaIoThreadOnDefaultChannel", List.of(d.startReplicaIoThread("")));
        m.put("startReplicaSqlThreadOnChannel", List.of(d.startReplicaSqlThread("reporting")));
        m.put("stopReplicaSqlThreadOnChannel", List.of(d.stopReplicaSqlThread("reporting")));
        m.put("blockedAppliersOnChannel", d.blockedAppliersQuery("reporting", 1).stream().toList());
        m.put("readOnlyOrigin", List.of(d.readOnlyOriginQuery()));
        m.put("resetReplicaAllOnDefaultChannel", List.of(d.resetReplicaAll("")));
        m.put("changeHeartbeatPeriod", List.of(d.changeHeartbeatPeriod("", Duration.ofMillis(500))));
        m.put("heartbeatReadBounded", List.of(d.heartbeatReadQuery(Duration.ofMillis(440))));
        return m;
    }

    static String renderAll() {
        StringBuilder sb = new StringBuilder();
        for (ServerVersion v : VERSIONS) {
            Dialect d = Dialects.forVersion(v);
            sb.append("## ").append(d.describe()).append('\n');
            render(d).forEach((name, statements) -> {
                for (Sql s : statements) {
                    sb.append(name).append(": ").append(s.text()).append('\n');
                    if (!s.display().equals(s.text())) {
                        sb.append(name).append(" (logged): ").append(s.display()).append('\n');
                    }
                }
            });
            sb.append('\n');
        }
        return sb.toString();
    }

    @Test
    void everyStatementMatchesTheGoldenFile() throws IOException {
        String actual = renderAll();
        if (Boolean.getBoolean("warden.golden.update")) {
            Path file = Path.of("src/test/resources/golden/dialects.txt");
            Files.writeString(file, actual, StandardCharsets.UTF_8);
        }
        String golden;
        try (InputStream in = getClass().getResourceAsStream("/golden/dialects.txt")) {
            assertThat(in).as("golden/dialects.txt exists (create it with -Dwarden.golden.update=true)").isNotNull();
            golden = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(actual).isEqualTo(golden);
    }

    @Test
    void capabilitiesFollowTheExactVersion() {
        assertThat(text(ServerVersion.of(Flavor.MYSQL, 8, 0, 21), "replicaStatus")).isEqualTo("SHOW SLAVE STATUS");
        assertThat(text(ServerVersion.of(Flavor.MYSQL, 8, 0, 22), "replicaStatus")).isEqualTo("SHOW REPLICA STATUS");
        assertThat(text(ServerVersion.of(Flavor.MYSQL, 8, 0, 22), "changeSource")).startsWith("CHANGE MASTER TO");
        assertThat(text(ServerVersion.of(Flavor.MYSQL, 8, 0, 23), "changeSource"))
                .startsWith("CHANGE REPLICATION SOURCE TO").contains("GET_SOURCE_PUBLIC_KEY = 1");
        assertThat(text(ServerVersion.of(Flavor.MYSQL, 8, 0, 25), "variables")).contains("@@log_slave_updates");
        assertThat(text(ServerVersion.of(Flavor.MYSQL, 8, 0, 26), "variables")).contains("@@log_replica_updates");
        assertThat(text(ServerVersion.of(Flavor.MYSQL, 8, 0, 40), "binlogStatus")).isEqualTo("SHOW MASTER STATUS");
        assertThat(text(ServerVersion.of(Flavor.MYSQL, 8, 4, 0), "binlogStatus")).isEqualTo("SHOW BINARY LOG STATUS");
    }

    @Test
    void modernMySqlEmitsNoRemovedSyntax() {
        for (ServerVersion v : List.of(ServerVersion.of(Flavor.MYSQL, 8, 4, 3), ServerVersion.of(Flavor.MYSQL, 9, 7, 4))) {
            for (List<Sql> statements : render(Dialects.forVersion(v)).values()) {
                for (Sql s : statements) {
                    assertThat(s.text()).doesNotContain("MASTER").doesNotContain("SLAVE");
                }
            }
        }
    }

    @Test
    void mariaDbUsesChangeMasterWithGtidAndNeverSuperReadOnly() {
        Dialect d = Dialects.forVersion(ServerVersion.parse("11.8.6-MariaDB", null));
        Map<String, List<Sql>> m = render(d);
        assertThat(m.get("changeSource").get(0).text()).startsWith("CHANGE MASTER TO").contains("MASTER_USE_GTID = slave_pos")
                .doesNotContain("CHANGE REPLICATION SOURCE");
        assertThat(m.get("setSuperReadOnly")).extracting(Sql::text).containsExactly("SET GLOBAL read_only = ON");
        assertThat(m.get("waitForExecuted").get(0).text()).startsWith("SELECT MASTER_GTID_WAIT('0-1000-42'");
    }

    @Test
    void passwordsAreQuotedAndMaskedInLogs() {
        for (ServerVersion v : VERSIONS) {
            Sql change = render(Dialects.forVersion(v)).get("changeSource").get(0);
            assertThat(change.text()).contains("'s3cr''et\\\\pw'");
            assertThat(change.display()).doesNotContain("s3cr").contains("'<masked>'");
            assertThat(change.toString()).doesNotContain("s3cr");
        }
    }

    private static String text(ServerVersion v, String statement) {
        List<String> texts = new ArrayList<>();
        render(Dialects.forVersion(v)).get(statement).forEach(s -> texts.add(s.text()));
        return String.join("; ", texts);
    }
}
