package dev.warden.config;

import static dev.warden.config.ConfigLoaderTest.parse;
import static dev.warden.config.ConfigLoaderTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KvConfigTest {

    static final String BASE = """
            credentials: {user: w, password: p, replication_user: r, replication_password: r}
            clusters:
              main: {servers: [db1:3306]}
            """;

    @Test
    void noSectionNoStores_andTheDefaultsAreOrchestratorsPrefixAndBestEffort() {
        assertThat(parse(BASE, Map.of()).config().kv()).isNull();
        KvSettings kv = parse(BASE + "kv:\n  zookeeper: {connect: 'zk1:2181,zk2:2181'}\n  etcd: {endpoints: "
                + "[http://etcd1:2379, 'https://etcd2:2379/']}\n", Map.of()).config().kv();
        assertThat(kv.prefix()).isEqualTo("mysql/master");
        assertThat(kv.mode()).isEqualTo(KvSettings.Mode.BEST_EFFORT);
        assertThat(kv.timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(kv.zookeeper()).isEqualTo("zk1:2181,zk2:2181");
        assertThat(kv.etcd()).containsExactly(URI.create("http://etcd1:2379"), URI.create("https://etcd2:2379"));
        KvSettings gate = parse(BASE + "kv: {prefix: db/primary, mode: gate, timeout: 500ms, etcd: {endpoints: "
                + "[http://e:2379]}}\n", Map.of()).config().kv();
        assertThat(gate.mode()).isEqualTo(KvSettings.Mode.GATE);
        assertThat(gate.prefix()).isEqualTo("db/primary");
        assertThat(gate.zookeeper()).isNull();
    }

    @Test
    void badValuesSayWhatIsWrongAndWhatToWrite() {
        assertThat(problems(BASE + "kv: {}\n")).anySatisfy(s -> assertThat(s).contains("kv names no store"));
        assertThat(problems(BASE + "kv: {mode: always, etcd: {endpoints: [http://e:2379]}}\n")).anySatisfy(s ->
                assertThat(s).contains("'always' is not a mode: gate").contains("best_effort"));
        assertThat(problems(BASE + "kv: {prefix: /mysql/master/, etcd: {endpoints: [http://e:2379]}}\n"))
                .anySatisfy(s -> assertThat(s).contains("is not a key prefix").contains("without a leading"));
        assertThat(problems(BASE + "kv: {prefix: mysql/../master, etcd: {endpoints: [http://e:2379]}}\n"))
                .anySatisfy(s -> assertThat(s).contains("is not a key prefix"));
        assertThat(problems(BASE + "kv: {prefix: zookeeper/quota, etcd: {endpoints: [http://e:2379]}}\n"))
                .anySatisfy(s -> assertThat(s).contains("not under zookeeper/"));
        assertThat(problems(BASE + "kv: {etcd: {endpoints: [etcd1:2379]}}\n")).anySatisfy(s -> assertThat(s)
                .contains("'etcd1:2379' is not an etcd endpoint; write http://host:port"));
        assertThat(problems(BASE + "kv: {etcd: {endpoints: ['http://e:2379/v3']}}\n")).anySatisfy(s ->
                assertThat(s).contains("is not an etcd endpoint"));
        assertThat(problems(BASE + "kv: {zookeeper: {connect: 'zk1'}}\n")).anySatisfy(s -> assertThat(s)
                .contains("'zk1' is not a ZooKeeper connect string"));
        assertThat(problems(BASE + "kv: {etcd: {endpoints: [http://e:2379], user: warden}}\n")).anySatisfy(s ->
                assertThat(s).contains("needs both user and password"));
        KvSettings auth = parse(BASE + "kv: {etcd: {endpoints: [http://e:2379], user: warden, password: "
                + "'${ETCD_PW}'}}\n", Map.of("ETCD_PW", "s3cret")).config().kv();
        assertThat(auth.etcdUser()).isEqualTo("warden");
        assertThat(auth.etcdPassword().reveal()).isEqualTo("s3cret");
        assertThat(auth.toString()).doesNotContain("s3cret");
        assertThat(problems(BASE + "kv: {etcd: {endpoints: []}}\n")).anySatisfy(s -> assertThat(s)
                .contains("etcd.endpoints is empty"));
        assertThat(problems(BASE + "kv: {etcd: {endpoint: [http://e:2379]}}\n")).anySatisfy(s -> assertThat(s)
                .contains("did you mean 'endpoints'"));
    }
}
