package dev.warden.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.warden.config.KvSettings;
import dev.warden.decision.KvCheck;
import dev.warden.model.InstanceKey;
import dev.warden.sandbox.EtcdProcess;
import dev.warden.testing.RawKeys;
import dev.warden.testing.ZkEnsemble;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.apache.curator.test.TestingCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both stores against the real thing: a three-server ZooKeeper ensemble and an etcd (Debian's etcd-server) started
 * by the test. Orchestrator's keys, the epoch's compare-and-set, and what a check rewrites and what it leaves.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KvStoresIT {

    static final KvLayout LAYOUT = new KvLayout("mysql/master");
    static final InstanceKey A = new InstanceKey("db-a.example", 3306);
    static final InstanceKey B = new InstanceKey("db-b.example", 3307);

    TestingCluster zk;
    EtcdProcess etcd;
    Path dir;
    final List<KvStore> open = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        assumeTrue(EtcdProcess.installed(), "etcd-server is not installed (scripts/install-prerequisites etcd)");
        dir = Files.createTempDirectory("warden-kv");
        zk = ZkEnsemble.three();
        etcd = EtcdProcess.start(dir.resolve("etcd"));
    }

    @AfterAll
    void stop() throws Exception {
        open.forEach(KvStore::close);
        if (etcd != null) {
            etcd.close();
        }
        if (zk != null) {
            zk.close();
        }
    }

    Stream<String> stores() {
        return Stream.of("zookeeper", "etcd");
    }

    KvStore store(String which) {
        KvStore s = which.equals("zookeeper") ? new ZkKvStore(zk.getConnectString(), LAYOUT, Duration.ofSeconds(2))
                : new EtcdKvStore(List.of(URI.create(etcd.endpoint())), LAYOUT, Duration.ofSeconds(2));
        open.add(s);
        return s;
    }

    /** What a store holds after Warden wrote {@code primary} under {@code epoch}: every key. */
    static KvStore.Reading reading(String primary, long epoch) {
        InstanceKey k = InstanceKey.parse(primary);
        return new KvStore.Reading(primary, epoch, k.host(), Integer.toString(k.port()));
    }

    static String cluster(String which, String test) {
        return which + "-" + test;
    }

    @ParameterizedTest
    @MethodSource("stores")
    void thePrimaryIsWrittenInOrchestratorsLayout(String which) throws Exception {
        KvStore s = store(which);
        String c = cluster(which, "layout");
        assertThat(s.read(c).primary()).as("nothing yet").isNull();
        s.publish(c, A, 0);
        assertThat(s.read(c)).isEqualTo(reading("db-a.example:3306", 0));
        RawKeys raw = new RawKeys(which, zk, etcd);
        assertThat(raw.get("mysql/master/" + c)).isEqualTo("db-a.example:3306");
        assertThat(raw.get("mysql/master/" + c + "/hostname")).isEqualTo("db-a.example");
        assertThat(raw.get("mysql/master/" + c + "/port")).isEqualTo("3306");
        assertThat(raw.get("mysql/master/" + c + "/warden_epoch")).isEqualTo("0");
        s.publish(c, B, 0);
        assertThat(raw.get("mysql/master/" + c)).isEqualTo("db-b.example:3307");
        assertThat(raw.get("mysql/master/" + c + "/port")).isEqualTo("3307");
    }

    @ParameterizedTest
    @MethodSource("stores")
    void aWriteWithAnOlderEpochIsRefusedAndChangesNothing(String which) throws Exception {
        KvStore s = store(which);
        String c = cluster(which, "stale");
        s.publish(c, A, 5);
        assertThatThrownBy(() -> s.publish(c, B, 4)).isInstanceOf(KvStore.StaleEpoch.class)
                .hasMessageContaining("holds epoch 5").hasMessageContaining("newer than this manager's 4");
        assertThat(s.read(c)).isEqualTo(reading("db-a.example:3306", 5));
        s.publish(c, B, 5);
        assertThat(s.read(c)).as("the same leadership may write again").isEqualTo(
                reading("db-b.example:3307", 5));
        s.publish(c, A, 6);
        assertThat(s.read(c)).isEqualTo(reading("db-a.example:3306", 6));
    }

    /** Two writers at once: each write is whole (no mix of one's host and the other's port), and the newer wins. */
    @ParameterizedTest
    @MethodSource("stores")
    void concurrentWritersNeverMixTheirKeys_theNewerEpochWins(String which) throws Exception {
        KvStore s1 = store(which);
        KvStore s2 = store(which);
        String c = cluster(which, "race");
        s1.publish(c, A, 1);
        for (int round = 0; round < 10; round++) {
            long older = 2L * round + 1;
            CompletableFuture<Throwable> a = CompletableFuture.supplyAsync(() -> attempt(s1, c, A, older));
            CompletableFuture<Throwable> b = CompletableFuture.supplyAsync(() -> attempt(s2, c, B, older + 1));
            Throwable ea = a.join();
            Throwable eb = b.join();
            assertThat(eb).as("the newer epoch is never refused").isNull();
            assertThat(ea).as("the older one either wrote first or was refused")
                    .satisfiesAnyOf(e -> assertThat(e).isNull(), e -> assertThat(e).isInstanceOf(KvStore.StaleEpoch.class));
            RawKeys raw = new RawKeys(which, zk, etcd);
            assertThat(s1.read(c)).isEqualTo(reading("db-b.example:3307", older + 1));
            assertThat(raw.get("mysql/master/" + c + "/hostname")).isEqualTo("db-b.example");
            assertThat(raw.get("mysql/master/" + c + "/port")).isEqualTo("3307");
        }
    }

    private static Throwable attempt(KvStore s, String c, InstanceKey k, long epoch) {
        try {
            s.publish(c, k, epoch);
            return null;
        } catch (IOException e) {
            return e;
        }
    }

    @ParameterizedTest
    @MethodSource("stores")
    void aCheckRewritesAKeyThatNamesAnotherServer_butNotOneANewerLeaderWrote(String which) throws Exception {
        KvStore s = store(which);
        KvPublisher p = new KvPublisher(new KvSettings("mysql/master", KvSettings.Mode.BEST_EFFORT,
                Duration.ofSeconds(2), null, List.of()), List.of(s));
        String c = cluster(which, "check");
        List<KvCheck> first = p.check(c, A, 3, p.publishings(c), () -> { });
        assertThat(first).singleElement().satisfies(k -> assertThat(k.clean()).as("an absent key is written, "
                + "nothing was wrong").isTrue());
        assertThat(s.read(c).primary()).isEqualTo("db-a.example:3306");
        assertThat(p.check(c, A, 3, p.publishings(c), () -> { })).singleElement().satisfies(k -> assertThat(k.clean()).isTrue());
        new RawKeys(which, zk, etcd).put("mysql/master/" + c, "db-x.example:1");
        assertThat(p.check(c, A, 3, p.publishings(c), () -> { })).singleElement().satisfies(k -> {
            assertThat(k.repaired()).isTrue();
            assertThat(k.showed()).isEqualTo("db-x.example:1");
        });
        assertThat(s.read(c).primary()).isEqualTo("db-a.example:3306");
        s.publish(c, B, 9);
        assertThat(p.check(c, A, 3, p.publishings(c), () -> { })).singleElement().satisfies(k -> {
            assertThat(k.repaired()).isFalse();
            assertThat(k.problem()).contains("epoch 9").contains("left as it is");
        });
        assertThat(s.read(c).primary()).as("a newer leader's value stays").isEqualTo("db-b.example:3307");
        long before = p.publishings(c);
        p.publish(c, B, 9, false);
        assertThat(p.check(c, A, 9, before, () -> { })).as("skipped: a publish ran since the view was taken")
                .isNull();
    }

    /** etcd with authentication on: Warden logs in as its user; without credentials, or wrong ones, it says so. */
    @org.junit.jupiter.api.Test
    void etcdWithAuthenticationIsWrittenWithAUserAndPassword() throws Exception {
        try (EtcdProcess secured = EtcdProcess.start(dir.resolve("etcd-auth"))) {
            RawKeys admin = new RawKeys("etcd", null, secured.endpoint());
            admin.call("/v3/auth/role/add", "{\"name\":\"root\"}");
            admin.call("/v3/auth/user/add", "{\"name\":\"root\",\"password\":\"root-pw\"}");
            admin.call("/v3/auth/user/grant", "{\"user\":\"root\",\"role\":\"root\"}");
            admin.call("/v3/auth/enable", "{}");
            List<URI> at = List.of(URI.create(secured.endpoint()));
            KvStore anonymous = new EtcdKvStore(at, LAYOUT, Duration.ofSeconds(2));
            KvStore wrong = new EtcdKvStore(at, LAYOUT, Duration.ofSeconds(2), "root",
                    dev.warden.config.Secret.of("not-it"));
            KvStore right = new EtcdKvStore(at, LAYOUT, Duration.ofSeconds(2), "root",
                    dev.warden.config.Secret.of("root-pw"));
            open.addAll(List.of(anonymous, wrong, right));
            assertThatThrownBy(() -> anonymous.publish("auth", A, 0)).hasMessageContaining("asks for authentication")
                    .hasMessageContaining("set kv.etcd.user and kv.etcd.password");
            assertThatThrownBy(() -> wrong.publish("auth", A, 0)).hasMessageContaining("refused user root")
                    .hasMessageNotContaining("not-it");
            right.publish("auth", A, 2);
            assertThat(right.read("auth")).isEqualTo(reading("db-a.example:3306", 2));
        }
    }

    @ParameterizedTest
    @MethodSource("stores")
    void aStoreThatDoesNotAnswerFailsWithinItsTimeoutAndSaysWhich(String which) throws Exception {
        int nobody = dev.warden.sandbox.Ports.freeBlock(1);
        KvStore s = which.equals("zookeeper") ? new ZkKvStore("127.0.0.1:" + nobody, LAYOUT, Duration.ofMillis(500))
                : new EtcdKvStore(List.of(URI.create("http://127.0.0.1:" + nobody)), LAYOUT, Duration.ofMillis(500));
        open.add(s);
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> s.publish("c", A, 0)).isInstanceOf(IOException.class)
                .hasMessageContaining(String.valueOf(nobody));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    }
}
