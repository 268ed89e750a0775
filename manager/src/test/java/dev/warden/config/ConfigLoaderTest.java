package dev.warden.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.model.InstanceKey;
import dev.warden.model.PromotionRule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    static final String VALID = """
            credentials:
              user: warden
              password: ${WARDEN_PASSWORD}
              replication_user: repl
              replication_password: ${REPL_PASSWORD:-repl-default}
            probe:
              interval: 2s
              connect_timeout: 250ms
              read_timeout: 1s
              write_timeout: 500ms
            http:
              listen: 0.0.0.0:9090
            users:
              alice:
                role: admin
                password_hash: "pbkdf2-sha256$$600000$$E34UPP+ccoJc+nERB2jC+Q$$nDScdraHL2llw0bnxY3bgc1s7e0PRc/nrdt7iaQEabQ"
            tokens:
              ci:
                role: operator
                token_hash: "sha256$$5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8"
            clusters:
              main:
                servers:
                  - host: db1.example.com
                    port: 3306
                    promotion: must_not
                  - host: db2.example.com
                    port: 3306
                    promotion: prefer
                    priority: 10
                  - db3.example.com:3307
              reporting:
                credentials:
                  user: warden_reporting
                servers:
                  - 10.0.0.5:3306
            """;

    static ConfigLoader.Loaded parse(String yaml, Map<String, String> env) {
        return ConfigLoader.parse("warden.yaml", yaml, EnvSubstitution.from(env));
    }

    static List<String> problems(String yaml) {
        try {
            parse(yaml, Map.of("WARDEN_PASSWORD", "pw"));
        } catch (ConfigException e) {
            return e.problems().stream().map(ConfigProblem::toString).toList();
        }
        throw new AssertionError("expected the configuration to be refused");
    }

    @Test
    void readsAValidConfiguration() {
        ConfigLoader.Loaded loaded = parse(VALID, Map.of("WARDEN_PASSWORD", "s3cret"));
        WardenConfig c = loaded.config();
        assertThat(loaded.warnings()).isEmpty();
        assertThat(c.probe().interval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.probe().connectTimeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(c.http().port()).isEqualTo(9090);
        ClusterConfig main = c.cluster("main").orElseThrow();
        assertThat(main.keys()).containsExactly(InstanceKey.parse("db1.example.com:3306"),
                InstanceKey.parse("db2.example.com:3306"), InstanceKey.parse("db3.example.com:3307"));
        assertThat(main.servers().get(0).promotion()).isEqualTo(PromotionRule.MUST_NOT);
        assertThat(main.servers().get(1).priority()).isEqualTo(10);
        assertThat(main.servers().get(2).promotion()).isEqualTo(PromotionRule.NEUTRAL);
        assertThat(main.credentials().password().reveal()).isEqualTo("s3cret");
        assertThat(main.credentials().replicationPassword().reveal()).isEqualTo("repl-default");
        ClusterConfig reporting = c.cluster("reporting").orElseThrow();
        assertThat(reporting.credentials().user()).isEqualTo("warden_reporting");
        assertThat(reporting.credentials().password().reveal()).isEqualTo("s3cret");
        assertThat(reporting.credentials().tls()).isEqualTo(TlsMode.PREFERRED);
    }

    @Test
    void secretsAreMaskedWhenPrinted() {
        WardenConfig c = parse(VALID, Map.of("WARDEN_PASSWORD", "s3cret")).config();
        assertThat(c.toString()).doesNotContain("s3cret").contains("<masked>");
        assertThat(c.clusters().get(0).credentials().toString()).doesNotContain("s3cret").doesNotContain("repl-default");
    }

    @Test
    void listsEveryProblemWithLineAndKey() {
        List<String> p = problems("""
                credentials:
                  user: warden
                  pasword: x
                  replication_user: repl
                  replication_password: r
                probe:
                  interval: fast
                clusters:
                  main:
                    servers:
                      - host: db1
                        port: 99999
                      - host: db2
                        port: 3306
                        promotion: sometimes
                      - db2:3306
                """);
        assertThat(p).anySatisfy(s -> assertThat(s).startsWith("warden.yaml:3: credentials.pasword: unknown key")
                .contains("did you mean 'password'"));
        assertThat(p).anySatisfy(s -> assertThat(s).startsWith("warden.yaml:7: probe.interval: 'fast' is not a duration"));
        assertThat(p).anySatisfy(s -> assertThat(s).startsWith("warden.yaml:12: clusters.main.servers[0].port: 99999 is outside 1..65535"));
        assertThat(p).anySatisfy(s -> assertThat(s).startsWith("warden.yaml:15: clusters.main.servers[1].promotion: 'sometimes' is not one of prefer, neutral, must_not"));
        assertThat(p).anySatisfy(s -> assertThat(s).startsWith("warden.yaml:16: clusters.main.servers[2]: db2:3306 is listed twice (first at line 13)"));
        assertThat(p).anySatisfy(s -> assertThat(s).contains("no credentials.password for cluster 'main'"));
    }

    @Test
    void missingEnvironmentVariableIsNamed() {
        assertThatThrownBy(() -> parse(VALID, Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("warden.yaml:3: credentials.password: environment variable WARDEN_PASSWORD is not set");
    }

    @Test
    void contradictionsStopStartupNamingBothKeys() {
        List<String> p = problems("""
                credentials: {user: w, password: p, replication_user: r, replication_password: r}
                probe:
                  interval: 1s
                  connect_timeout: 900ms
                  read_timeout: 800ms
                  write_timeout: 300ms
                clusters:
                  main: {servers: [db1:3306]}
                """);
        assertThat(p).anySatisfy(s -> assertThat(s).contains("probe.connect_timeout (900ms) must not exceed probe.read_timeout (800ms)"));
        assertThat(p).anySatisfy(s -> assertThat(s).contains("probe.read_timeout + probe.write_timeout (1100ms) must be shorter than probe.interval (1s)"));
    }

    @Test
    void failoverModeIsActOrObserve() {
        String yaml = """
                credentials: {user: w, password: p, replication_user: r, replication_password: r}
                failover: {mode: %s}
                clusters:
                  main: {servers: [db1:3306]}
                """;
        assertThat(parse(yaml.formatted("observe"), Map.of()).config().failover().observe()).isTrue();
        assertThat(parse(yaml.formatted("act"), Map.of()).config().failover().observe()).isFalse();
        assertThat(parse(VALID, Map.of("WARDEN_PASSWORD", "pw")).config().failover().observe()).isFalse();
        assertThat(problems(yaml.formatted("shadow"))).anySatisfy(s -> assertThat(s).contains("failover.mode")
                .contains("'shadow' is not a mode; write act").contains("or observe"));
    }

    @Test
    void loadBalancerChecksTakeAddressesAndALag() {
        String yaml = """
                credentials: {user: w, password: p, replication_user: r, replication_password: r}
                http:
                  lb_checks: {allow: [%s], max_lag: 2s}
                clusters:
                  main: {servers: [db1:3306]}
                """;
        WardenConfig c = parse(yaml.formatted("10.0.0.0/8, 127.0.0.1"), Map.of()).config();
        assertThat(c.http().lbChecks().maxLag()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.http().lbChecks().allows("10.1.2.3")).isTrue();
        assertThat(c.http().lbChecks().allows("192.168.0.1")).isFalse();
        assertThat(problems(yaml.formatted("lb1.example.com"))).anySatisfy(s -> assertThat(s).contains(
                "http.lb_checks.allow").contains("'lb1.example.com' is not an IP address or network"));
        assertThat(parse(VALID, Map.of("WARDEN_PASSWORD", "pw")).config().http().lbChecks().allow())
                .as("anyone who reaches the port, by default").isEmpty();
    }

    @Test
    void replicaSilenceMustExceedTwoHeartbeatPeriods() {
        String yaml = """
                credentials: {user: w, password: p, replication_user: r, replication_password: r}
                replication: {heartbeat_period: 500ms}
                failover: {replica_silence: %s}
                clusters:
                  main: {servers: [db1:3306]}
                """;
        assertThat(problems(yaml.formatted("1s"))).anySatisfy(s -> assertThat(s).contains(
                "failover.replica_silence (1s) must be longer than twice replication.heartbeat_period (500ms)"));
        assertThat(parse(yaml.formatted("1100ms"), Map.of()).config().failover().replicaSilence())
                .isEqualTo(Duration.ofMillis(1100));
    }

    @Test
    void fixableValuesAreCorrectedWithAWarningNamingTheKey() {
        ConfigLoader.Loaded loaded = parse("""
                credentials: {user: w, password: p, replication_user: r, replication_password: r}
                probe:
                  interval: 10ms
                  connect_timeout: 10ms
                  read_timeout: 40ms
                  write_timeout: 20ms
                clusters:
                  main:
                    servers:
                      - {host: db1, port: 3306, priority: 5000}
                """, Map.of());
        assertThat(loaded.config().probe().interval()).isEqualTo(Duration.ofMillis(100));
        assertThat(loaded.config().clusters().get(0).servers().get(0).priority()).isEqualTo(1000);
        assertThat(loaded.warnings()).extracting(ConfigProblem::toString).contains(
                "warden.yaml:3: probe.interval: 10ms is below the minimum; using 100ms",
                "warden.yaml:4: probe.connect_timeout: 10ms is below the minimum; using 20ms",
                "warden.yaml:5: probe.read_timeout: 40ms is below the minimum; using 50ms",
                "warden.yaml:10: clusters.main.servers[0].priority: 5000 is outside -1000..1000; using 1000");
    }

    @Test
    void aServerBelongsToOneCluster() {
        List<String> p = problems("""
                credentials: {user: w, password: p, replication_user: r, replication_password: r}
                clusters:
                  a: {servers: [db1:3306]}
                  b: {servers: [db1:3306]}
                """);
        assertThat(p).anySatisfy(s -> assertThat(s).contains("db1:3306 is already a server of cluster 'a'"));
    }

    @Test
    void structuralMistakesAreExplained() {
        assertThat(problems("")).containsExactly("warden.yaml:1: the file is empty");
        assertThat(problems("clusters: [a, b]\n")).anySatisfy(s -> assertThat(s).contains("clusters: must be a map"));
        assertThat(problems("credentials: {user: w}\n")).anySatisfy(s -> assertThat(s).contains("clusters: is required"));
        assertThat(problems("clusters:\n  main:\n    servers: []\n")).anySatisfy(s -> assertThat(s)
                .contains("clusters.main.servers: is empty"));
        assertThat(problems("clusters:\n  'bad name!': {servers: [db:1]}\n")).anySatisfy(s -> assertThat(s)
                .contains("cluster name 'bad name!'"));
        assertThat(problems("a: [\n")).anySatisfy(s -> assertThat(s).contains("not valid YAML"));
        assertThat(problems("x: 1\nx: 2\nclusters: {}\n")).anySatisfy(s -> assertThat(s)
                .contains("warden.yaml:2: x: written twice (first at line 1)"));
    }

    @Test
    void warnsWhenNoServerMayBePromoted() {
        ConfigLoader.Loaded loaded = parse("""
                credentials: {user: w, password: p, replication_user: r, replication_password: r}
                clusters:
                  main:
                    servers:
                      - {host: db1, port: 3306, promotion: must_not}
                """, Map.of());
        assertThat(loaded.warnings()).extracting(ConfigProblem::message)
                .anySatisfy(m -> assertThat(m).contains("every server of cluster 'main' is must_not"));
    }

    @Test
    void missingFileIsExplained(@TempDir Path dir) {
        assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("nope.yaml")))
                .hasMessageContaining("nope.yaml").hasMessageContaining("does not exist");
    }

    @Test
    void loadsFromAFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("w.yaml");
        Files.writeString(f, VALID.replace("${WARDEN_PASSWORD}", "pw"));
        assertThat(ConfigLoader.load(f).config().clusters()).hasSize(2);
    }

    @Test
    void readsHooksHaproxyAndSwitchover() {
        WardenConfig c = parse(VALID + """
                switchover:
                  kill_grace: 50ms
                hooks:
                  - name: pager
                    type: http
                    url: https://pager.example.com/warden
                    secret: ${WARDEN_PASSWORD}
                    events: [failure_detected, post_failover]
                  - name: drain
                    type: command
                    class: gate
                    command: [/usr/local/bin/drain, --now]
                    events: [pre_switchover]
                    timeout: 2s
                    clusters: [main]
                haproxy:
                  - cluster: main
                    socket: /run/haproxy/admin.sock
                    writer_backend: mysql_writer
                    reader_backend: mysql_readers
                    weights: {"db2.example.com:3306": 50}
                """, Map.of("WARDEN_PASSWORD", "pw")).config();
        assertThat(c.switchover().killGrace()).isEqualTo(Duration.ofMillis(50));
        assertThat(c.hooks()).extracting(HookConfig::name).containsExactly("pager", "drain");
        assertThat(c.hooks().get(0).secret().reveal()).isEqualTo("pw");
        assertThat(c.hooks().get(1).hookClass()).isEqualTo(HookConfig.HookClass.GATE);
        assertThat(c.hooks().get(1).appliesTo("pre_switchover", "main")).isTrue();
        assertThat(c.hooks().get(1).appliesTo("pre_switchover", "reporting")).isFalse();
        assertThat(c.haproxy("main").orElseThrow().weight(InstanceKey.parse("db2.example.com:3306"))).isEqualTo(50);
        assertThat(c.haproxy("main").orElseThrow().weight(InstanceKey.parse("db1.example.com:3306"))).isEqualTo(100);
    }

    @Test
    void badHooksAreExplained() {
        List<String> p = problems(VALID.replace("${WARDEN_PASSWORD}", "pw") + """
                hooks:
                  - name: a
                    type: http
                    events: [post_failover, on_fire]
                  - name: a
                    type: command
                    events: [post_failover]
                    clusters: [nope]
                """);
        assertThat(p).anySatisfy(s -> assertThat(s).contains("'on_fire' is not an event; events are failure_detected"));
        assertThat(p).anySatisfy(s -> assertThat(s).contains("hooks[0].url: is required for an http hook"));
        assertThat(p).anySatisfy(s -> assertThat(s).contains("hooks[1].command: is required for a command hook"));
        assertThat(p).anySatisfy(s -> assertThat(s).contains("no cluster 'nope'"));
        assertThat(p).anySatisfy(s -> assertThat(s).contains("hook name 'a' is used twice"));
    }

    @Test
    void theStoreIsAnSqliteFileNextToTheConfigurationUnlessToldOtherwise() {
        WardenConfig c = ConfigLoader.parse("/etc/warden/warden.yaml", VALID, EnvSubstitution.from(
                Map.of("WARDEN_PASSWORD", "pw"))).config();
        assertThat(c.store().sqlite()).isEqualTo(Path.of("/etc/warden/warden.db"));
        assertThat(c.store().retention()).isEqualTo(Duration.ofDays(90));
        WardenConfig rel = ConfigLoader.parse("/etc/warden/warden.yaml", VALID + "store:\n  path: data/w.db\n"
                + "  retention: 30d\n", EnvSubstitution.from(Map.of("WARDEN_PASSWORD", "pw"))).config();
        assertThat(rel.store().sqlite()).isEqualTo(Path.of("/etc/warden/data/w.db"));
        assertThat(rel.store().retention()).isEqualTo(Duration.ofDays(30));
    }

    @Test
    void aMysqlStoreNeedsAUrlWithASchemaAndCredentials() {
        WardenConfig c = parse(VALID + "store:\n  mysql:\n    url: jdbc:mysql://db:3306/warden\n    user: w\n"
                + "    password: ${STORE_PW}\n", Map.of("WARDEN_PASSWORD", "pw", "STORE_PW", "s3cret")).config();
        assertThat(c.store().isMysql()).isTrue();
        assertThat(c.store().password().reveal()).isEqualTo("s3cret");
        assertThat(c.store().display()).doesNotContain("s3cret");
        assertThat(problems(VALID + "store:\n  path: x.db\n  mysql:\n    url: jdbc:mysql://db/\n    user: w\n"))
                .anySatisfy(p -> assertThat(p).contains("set either store.path (SQLite) or store.mysql, not both"))
                .anySatisfy(p -> assertThat(p).contains("'jdbc:mysql://db/' is not a MySQL JDBC URL with a schema"))
                .anySatisfy(p -> assertThat(p).contains("password"));
    }

    @Test
    void usersAndTokensNeedARoleAndAUsableHash_andAnOpenListenerNeedsThem() {
        WardenConfig c = parse(VALID, Map.of("WARDEN_PASSWORD", "pw")).config();
        assertThat(c.access().users()).extracting(Object::toString).containsExactly("alice (admin)");
        assertThat(c.access().tokens()).extracting(Object::toString).containsExactly("ci (operator)");
        assertThat(c.access().user("alice").orElseThrow().passwordHash()).startsWith("pbkdf2-sha256$600000$");
        String bad = VALID.replace("role: operator", "role: boss").replace("pbkdf2-sha256$$600000",
                "md5$$600000");
        assertThat(problems(bad))
                .anySatisfy(p -> assertThat(p).contains("users.alice.password_hash: is not a password hash; make one "
                        + "with 'warden passwd'"))
                .anySatisfy(p -> assertThat(p).contains("tokens.ci.role: 'boss' is not a role; use viewer, operator "
                        + "or admin"));
        String open = VALID.substring(0, VALID.indexOf("users:")) + VALID.substring(VALID.indexOf("clusters:"));
        assertThat(problems(open)).anySatisfy(p -> assertThat(p).contains("http.listen: 0.0.0.0:9090 is reachable "
                + "from other hosts but no users or tokens are configured"));
        WardenConfig local = parse(open.replace("0.0.0.0:9090", "127.0.0.1:9090"), Map.of("WARDEN_PASSWORD", "pw"))
                .config();
        assertThat(local.access().enabled()).as("loopback without users: access control off").isFalse();
    }
}
