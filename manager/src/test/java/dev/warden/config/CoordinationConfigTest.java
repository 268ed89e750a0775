package dev.warden.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code manager} and {@code coordination}: several managers on ZooKeeper, or none of it (alone, the default). */
class CoordinationConfigTest {

    static final String BASE = """
            credentials:
              user: warden
              password: pw
              replication_user: repl
              replication_password: repl-pw
            clusters:
              main:
                servers:
                  - db1.example.com:3306
            """;
    static final String MYSQL_STORE = """
            store:
              mysql:
                url: jdbc:mysql://store.example:3306/warden
                user: warden
                password: pw
            """;

    static ConfigLoader.Loaded parse(String yaml) {
        return ConfigLoader.parse("warden.yaml", yaml, EnvSubstitution.from(Map.of("ZK_AUTH", "warden:zk-pw")));
    }

    static String coordination(String managers) {
        return """
                manager:
                  name: site-a
                  url: https://warden-a.example:8443
                coordination:
                  zookeeper:
                    connect: zk1:2181,zk2:2181,zk3:2181
                    root: /warden/prod
                    session_timeout: 6s
                    auth: ${ZK_AUTH}
                  managers: %s
                """.formatted(managers);
    }

    @Test
    void withoutCoordinationAManagerRunsAlone() {
        WardenConfig c = parse(BASE).config();
        assertThat(c.coordinated()).isFalse();
        assertThat(c.coordination()).isNull();
    }

    @Test
    void readsACompleteCoordination() {
        ConfigLoader.Loaded l = parse(BASE + MYSQL_STORE + coordination("[site-a, site-b, site-c]"));
        assertThat(l.warnings()).isEmpty();
        CoordinationSettings s = l.config().coordination();
        assertThat(s.manager()).isEqualTo("site-a");
        assertThat(s.managerUrl()).isEqualTo("https://warden-a.example:8443");
        assertThat(s.connect()).isEqualTo("zk1:2181,zk2:2181,zk3:2181");
        assertThat(s.root()).isEqualTo("/warden/prod");
        assertThat(s.sessionTimeout()).isEqualTo(Duration.ofSeconds(6));
        assertThat(s.connectionTimeout()).isEqualTo(CoordinationSettings.DEFAULT_CONNECTION_TIMEOUT);
        assertThat(s.digestAuth().reveal()).isEqualTo("warden:zk-pw");
        assertThat(s.managers()).containsExactly("site-a", "site-b", "site-c");
        assertThat(s.majority()).isEqualTo(2);
    }

    static List<String> problems(String yaml) {
        try {
            parse(yaml);
        } catch (ConfigException e) {
            return e.problems().stream().map(ConfigProblem::toString).toList();
        }
        throw new AssertionError("expected the configuration to be refused");
    }

    @Test
    void aSqliteStoreCannotBeShared() {
        assertThat(problems(BASE + coordination("[site-a, site-b, site-c]")))
                .anyMatch(p -> p.contains("set store.mysql to a schema every manager uses"));
    }

    @Test
    void thisManagerMustBeOneOfTheConfiguredOnes() {
        assertThat(problems(BASE + MYSQL_STORE + coordination("[site-b, site-c, site-d]")))
                .anyMatch(p -> p.contains("manager.name site-a) is not in coordination.managers"));
    }

    @Test
    void anEmptyOrRepeatedListOfManagersIsRefused() {
        assertThat(problems(BASE + MYSQL_STORE + coordination("[]")))
                .anyMatch(p -> p.contains("coordination.managers is empty"));
        assertThat(problems(BASE + MYSQL_STORE + coordination("[site-a, site-b, site-b]")))
                .anyMatch(p -> p.contains("manager site-b is listed twice"));
    }

    @Test
    void twoManagersAreAcceptedWithAWarning() {
        ConfigLoader.Loaded l = parse(BASE + MYSQL_STORE + coordination("[site-a, site-b]"));
        assertThat(l.warnings()).anyMatch(w -> w.toString().contains("one manager down stops every automatic "
                + "failover"));
    }

    @Test
    void badZooKeeperSettingsSayWhatIsWrong() {
        String bad = BASE + MYSQL_STORE + """
                manager:
                  name: site-a
                coordination:
                  zookeeper:
                    connect: zk1
                    root: warden/
                    session_timeout: 2s
                    connection_timeout: 3s
                    auth: nocolon
                  managers: [site-a, site-b, site-c]
                """;
        List<String> p = problems(bad);
        assertThat(p).anyMatch(x -> x.contains("is not a ZooKeeper connect string"));
        assertThat(p).anyMatch(x -> x.contains("is not a znode path"));
        assertThat(p).anyMatch(x -> x.contains("must be shorter than session_timeout"));
        assertThat(p).anyMatch(x -> x.contains("digest credentials, user:password"));
    }

    @Test
    void coordinationWithoutAManagerNameIsRefused() {
        String yaml = BASE + MYSQL_STORE + """
                coordination:
                  zookeeper:
                    connect: zk1:2181
                  managers: [site-a, site-b, site-c]
                """;
        assertThat(problems(yaml)).anyMatch(p -> p.contains("each manager needs manager.name"));
    }
}
