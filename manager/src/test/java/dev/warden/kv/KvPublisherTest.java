package dev.warden.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.config.KvSettings;
import dev.warden.decision.KvCheck;
import dev.warden.model.InstanceKey;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The publisher's own rules, over stores held in memory (the real stores are KvStoresIT's). */
class KvPublisherTest {

    static final InstanceKey A = InstanceKey.parse("db-a:3306");
    static final InstanceKey B = InstanceKey.parse("db-b:3306");

    /** A store in memory; {@code readGate} (when set) holds every read until released. */
    static final class Memory implements KvStore {
        final String name;
        volatile KvStore.Reading held;
        volatile CountDownLatch readGate;
        volatile CountDownLatch reading = new CountDownLatch(1);
        volatile long sleepMs;

        Memory(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Reading read(String cluster) throws IOException {
            reading.countDown();
            pause();
            if (readGate != null) {
                try {
                    readGate.await();
                } catch (InterruptedException e) {
                    throw new IOException("interrupted");
                }
            }
            return held == null ? new Reading(null, 0) : held;
        }

        private void pause() throws IOException {
            if (sleepMs > 0) {
                try {
                    Thread.sleep(sleepMs);
                } catch (InterruptedException e) {
                    throw new IOException("interrupted");
                }
            }
        }

        @Override
        public synchronized void publish(String cluster, InstanceKey primary, long epoch) throws IOException {
            pause();
            long stored = held == null ? 0 : held.epoch();
            if (stored > epoch) {
                throw new StaleEpoch(name + " holds epoch " + stored);
            }
            held = new Reading(primary.toString(), epoch, primary.host(), Integer.toString(primary.port()));
        }

        @Override
        public synchronized void publishOverridingEpoch(String cluster, InstanceKey primary) throws IOException {
            long stored = held == null ? 0 : held.epoch();
            held = new Reading(primary.toString(), stored, primary.host(), Integer.toString(primary.port()));
        }

        @Override
        public void close() {
        }
    }

    static KvPublisher publisher(Duration timeout, KvStore... stores) {
        return new KvPublisher(new KvSettings("mysql/master", KvSettings.Mode.BEST_EFFORT, timeout, null, List.of()),
                List.of(stores));
    }

    @Test
    void aStoreHoldingANewerEpochMeansNoStoreIsWritten() {
        Memory zk = new Memory("zk");
        Memory etcd = new Memory("etcd");
        zk.held = new KvStore.Reading(B.toString(), 9, "db-b", "3306");
        try (KvPublisher p = publisher(Duration.ofSeconds(1), zk, etcd)) {
            assertThatThrownBy(() -> p.publish("c", A, 5, false)).isInstanceOf(KvStore.StaleEpoch.class)
                    .hasMessageContaining("zk holds epoch 9").hasMessageContaining("no store written");
            assertThat(etcd.held).as("the other store is not written either").isNull();
        }
    }

    @Test
    void aFailoverForcedWithoutCoordinationWritesOverAnyEpochAndKeepsIt() throws Exception {
        Memory zk = new Memory("zk");
        zk.held = new KvStore.Reading(B.toString(), 9, "db-b", "3306");
        try (KvPublisher p = publisher(Duration.ofSeconds(1), zk)) {
            assertThat(p.publish("c", A, 0, true)).contains("epoch kept");
            assertThat(zk.held).isEqualTo(new KvStore.Reading(A.toString(), 9, "db-a", "3306"));
        }
    }

    @Test
    void aStoreThatHangsFailsWithinItsDeadline_theOthersAreWritten() {
        Memory slow = new Memory("slow");
        slow.sleepMs = 60_000;
        Memory fast = new Memory("fast");
        try (KvPublisher p = publisher(Duration.ofMillis(200), slow, fast)) {
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> p.publish("c", A, 0, false)).hasMessageContaining("slow: no answer within 400 ms")
                    .hasMessageContaining("written in fast");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("reads then writes, each bounded")
                    .isLessThan(Duration.ofSeconds(3));
            assertThat(fast.held.primary()).isEqualTo(A.toString());
        }
    }

    /** A cycle's check that read the stores before an operation published must not write over its value. */
    @Test
    void aCheckAndAnOperationsPublishNeverInterleave() throws Exception {
        Memory s = new Memory("s");
        s.held = new KvStore.Reading("db-x:1", 0, "db-x", "1");
        try (KvPublisher p = publisher(Duration.ofSeconds(5), s)) {
            long before = p.publishings("c");
            s.readGate = new CountDownLatch(1);
            CompletableFuture<List<KvCheck>> check = CompletableFuture.supplyAsync(() -> p.check("c", A, 0, before,
                    () -> { }));
            assertThat(s.reading.await(5, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<String> publish = CompletableFuture.supplyAsync(() -> {
                try {
                    return p.publish("c", B, 0, false);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(200); // the publish waits for the check's lock (asserted below: it has not written)
            assertThat(publish).isNotDone();
            s.readGate.countDown();
            s.readGate = null;
            check.get(5, TimeUnit.SECONDS);
            publish.get(5, TimeUnit.SECONDS);
            assertThat(s.held.primary()).as("the operation's value is the last").isEqualTo(B.toString());
            assertThat(p.check("c", A, 0, before, () -> { })).as("a view from before the publish writes nothing")
                    .isNull();
            assertThat(s.held.primary()).isEqualTo(B.toString());
        }
    }

    @Test
    void aCheckRepairsHostnameAndPort_stampsANewerEpoch_andWritesNothingOnceDeposed() {
        Memory s = new Memory("s");
        s.held = new KvStore.Reading(A.toString(), 0, "db-old", "3306");
        try (KvPublisher p = publisher(Duration.ofSeconds(1), s)) {
            assertThat(p.check("c", A, 0, p.publishings("c"), () -> { })).singleElement()
                    .satisfies(k -> assertThat(k.repaired()).as("hostname db-old").isTrue());
            assertThat(s.held.hostname()).isEqualTo("db-a");
            assertThat(p.check("c", A, 4, p.publishings("c"), () -> { })).singleElement()
                    .satisfies(k -> assertThat(k.clean()).isTrue());
            assertThat(s.held.epoch()).as("stamped with the leadership's epoch").isEqualTo(4);
            s.held = new KvStore.Reading(B.toString(), 4, "db-b", "3306");
            assertThat(p.check("c", A, 4, p.publishings("c"), () -> {
                throw new IllegalStateException("not written: site-b leads");
            })).singleElement().satisfies(k -> assertThat(k.problem()).contains("site-b leads"));
            assertThat(s.held.primary()).isEqualTo(B.toString());
        }
    }
}
