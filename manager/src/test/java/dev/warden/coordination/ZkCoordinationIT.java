package dev.warden.coordination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.config.CoordinationSettings;
import dev.warden.decision.Leadership;
import dev.warden.decision.ManagerObservation;
import dev.warden.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.KillSession;
import org.apache.curator.test.TestingCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Leadership, fencing epochs and observations on a real three-server ZooKeeper ensemble (ZooKeeper's own server
 * code, run in this JVM by curator-test, on 127.0.0.1).
 */
class ZkCoordinationIT {

    static final Duration DEADLINE = Duration.ofSeconds(20);
    static final List<String> MANAGERS = List.of("site-a", "site-b", "site-c");

    TestingCluster zk;
    final List<ZkCoordination> managers = new ArrayList<>();

    @BeforeEach
    void ensemble() throws Exception {
        zk = dev.warden.testing.ZkEnsemble.three();
    }

    @AfterEach
    void stop() throws Exception {
        managers.forEach(ZkCoordination::close);
        zk.close();
    }

    ZkCoordination manager(String name) {
        CoordinationSettings s = new CoordinationSettings(name, null, zk.getConnectString(), "/warden-test",
                Duration.ofSeconds(2), Duration.ofMillis(1000), null, MANAGERS);
        ZkCoordination c = new ZkCoordination(s, List.of("main", "other"), "http://127.0.0.1/" + name,
                Duration.ofSeconds(3));
        managers.add(c);
        return c;
    }

    static List<ZkCoordination> leaders(List<ZkCoordination> of, String cluster) {
        return of.stream().filter(c -> c.seat(cluster).leadership().leads()).toList();
    }

    @Test
    void exactlyOneManagerLeadsEachClusterAndOnlyItsEpochIsProved() {
        manager("site-a");
        manager("site-b");
        manager("site-c");
        ZkCoordination leader = Await.until("one leader of main", DEADLINE, () -> leaders(managers, "main"),
                l -> l.size() == 1).get(0);
        Leadership l = leader.seat("main").leadership();
        assertThat(l.epoch()).isPositive();
        leader.seat("main").prove(l.epoch());
        for (ZkCoordination c : managers) {
            if (c != leader) {
                Leadership f = Await.until("the followers know the leader", DEADLINE, () -> c.seat("main").leadership(),
                        x -> x.leader() != null);
                assertThat(f.leads()).isFalse();
                assertThat(f.leader()).isEqualTo(leader.self());
                assertThat(f.whyNotActing("main")).contains(leader.self() + " leads cluster main");
                assertThatThrownBy(() -> c.seat("main").prove(l.epoch())).isInstanceOf(Coordination.NotLeading.class);
            }
        }
        assertThatThrownBy(() -> leader.seat("main").prove(l.epoch() - 1)).isInstanceOf(Coordination.NotLeading.class);
        Await.until("one leader of other", DEADLINE, () -> leaders(managers, "other"), x -> x.size() == 1);
    }

    @Test
    void whenTheLeadersSessionExpiresAnotherLeadsWithAHigherEpochAndTheOldTokenIsRefused() throws Exception {
        manager("site-a");
        manager("site-b");
        manager("site-c");
        ZkCoordination first = Await.until("one leader", DEADLINE, () -> leaders(managers, "main"),
                l -> l.size() == 1).get(0);
        // Every manager is in the election (knows the leader) before the leader's session goes.
        Await.until("all three in the election", DEADLINE, () -> managers.stream()
                .allMatch(c -> first.self().equals(c.seat("main").leadership().leader())), x -> x);
        long oldEpoch = first.seat("main").leadership().epoch();
        KillSession.kill(first.curator().getZookeeperClient().getZooKeeper());
        ZkCoordination next = Await.until("another leader", DEADLINE, () -> leaders(managers, "main"),
                l -> l.size() == 1 && l.get(0) != first).get(0);
        long newEpoch = next.seat("main").leadership().epoch();
        assertThat(newEpoch).isGreaterThan(oldEpoch);
        // The deposed leader's token is refused, whatever it believes.
        assertThatThrownBy(() -> first.seat("main").prove(oldEpoch)).isInstanceOf(Coordination.NotLeading.class);
        next.seat("main").prove(newEpoch);
        // It rejoins as a follower (or, once more, as a later leader with a still higher epoch): never two leaders.
        for (int i = 0; i < 20; i++) {
            assertThat(leaders(managers, "main")).hasSizeLessThanOrEqualTo(1);
            Thread.sleep(50);
        }
    }

    /**
     * Leadership flapping: session after session expires. Two managers may believe for a moment that they lead (the
     * deposed one learns it late); what must hold is the fencing: once an epoch is proved, no lower one ever is
     * again, so no two managers can act in turn on a cluster with interleaved steps.
     */
    @Test
    void repeatedSessionExpiriesNeverLetAnOlderEpochProveAfterANewerOne() throws Exception {
        manager("site-a");
        manager("site-b");
        manager("site-c");
        long last = 0;
        java.util.concurrent.atomic.AtomicLong highestProved = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicReference<String> violation = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicInteger proofs = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        List<Thread> provers = new ArrayList<>();
        for (ZkCoordination c : managers) {
            Thread t = new Thread(() -> {
                while (!stop.get()) {
                    long e = c.seat("main").leadership().epoch();
                    if (e <= 0) {
                        Thread.onSpinWait();
                        continue;
                    }
                    try {
                        c.seat("main").prove(e);
                        proofs.incrementAndGet();
                        long before = highestProved.getAndAccumulate(e, Math::max);
                        if (e < before) {
                            violation.set(c.self() + " proved epoch " + e + " after epoch " + before + " was proved");
                        }
                    } catch (Coordination.NotLeading refused) {
                        // deposed: expected
                    }
                }
            });
            provers.add(t);
            t.start();
        }
        try {
            for (int round = 0; round < 6; round++) {
                ZkCoordination leader = Await.until("a leader (round " + round + ")", DEADLINE,
                        () -> leaders(managers, "main"), l -> l.size() == 1).get(0);
                long epoch = leader.seat("main").leadership().epoch();
                assertThat(epoch).isGreaterThan(last);
                last = epoch;
                KillSession.kill(leader.curator().getZookeeperClient().getZooKeeper());
                // At once: its latch node may outlive the session on the servers for a moment, the proof does not.
                assertThatThrownBy(() -> leader.seat("main").prove(epoch)).isInstanceOf(Coordination.NotLeading.class);
            }
        } finally {
            stop.set(true);
            for (Thread t : provers) {
                t.join();
            }
        }
        assertThat(violation.get()).isNull();
        assertThat(proofs.get()).as("leaders proved their epochs meanwhile").isPositive();
    }

    /**
     * The election picks a manager but ZooKeeper refuses its epoch raise (here: the epoch node is made read-only)
     * for longer than the first attempts last: it must not lead without an epoch, and once the raise can succeed it
     * leads, without waiting for a new election that nothing would start.
     */
    @Test
    void aLeaderWhoseEpochRaiseKeepsFailingLeadsOnceTheRaiseCanSucceed() throws Exception {
        try (var raw = org.apache.curator.framework.CuratorFrameworkFactory.newClient(zk.getConnectString(),
                new org.apache.curator.retry.RetryOneTime(100))) {
            raw.start();
            String epoch = "/warden-test/clusters/main/epoch";
            raw.create().creatingParentsIfNeeded().withACL(List.of(new org.apache.zookeeper.data.ACL(
                    org.apache.zookeeper.ZooDefs.Perms.READ | org.apache.zookeeper.ZooDefs.Perms.ADMIN,
                    org.apache.zookeeper.ZooDefs.Ids.ANYONE_ID_UNSAFE))).forPath(epoch, "0".getBytes());
            ZkCoordination a = manager("site-a");
            Await.until("the election picks site-a", DEADLINE, () -> a.seat("main").leadership(),
                    l -> "site-a".equals(l.leader()));
            // Longer than the ten attempts made when the election picks it (about a second here).
            long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < until) {
                assertThat(a.seat("main").leadership().leads()).as("no leadership without an epoch").isFalse();
                Thread.sleep(50);
            }
            raw.setACL().withACL(org.apache.zookeeper.ZooDefs.Ids.OPEN_ACL_UNSAFE).forPath(epoch);
            Leadership l = Await.until("site-a leads once its epoch can be raised", DEADLINE,
                    () -> a.seat("main").leadership(), Leadership::leads);
            assertThat(l.epoch()).isEqualTo(1);
            a.seat("main").prove(1);
        }
    }

    @Test
    void withoutAZooKeeperQuorumNobodyLeadsAndOneLeadsAgainWhenItIsBack() throws Exception {
        manager("site-a");
        manager("site-b");
        ZkCoordination leader = Await.until("one leader", DEADLINE, () -> leaders(managers, "main"),
                l -> l.size() == 1).get(0);
        long epoch = leader.seat("main").leadership().epoch();
        List<InstanceSpec> servers = new ArrayList<>(zk.getInstances());
        zk.killServer(servers.get(0));
        zk.killServer(servers.get(1));
        Await.until("every manager reports coordination down", DEADLINE, () -> managers.stream()
                .map(c -> c.seat("main").leadership()).toList(), l -> l.stream().allMatch(x -> !x.leads()
                && x.problem() != null));
        assertThatThrownBy(() -> leader.seat("main").prove(epoch)).isInstanceOf(Coordination.NotLeading.class);
        zk.restartServer(servers.get(0));
        zk.restartServer(servers.get(1));
        ZkCoordination again = Await.until("one leader again", Duration.ofSeconds(40), () -> leaders(managers, "main"),
                l -> l.size() == 1).get(0);
        assertThat(again.seat("main").leadership().epoch()).isGreaterThan(epoch);
    }

    @Test
    void observationsReachTheOthersAndVanishWithTheirManager() {
        ZkCoordination a = manager("site-a");
        ZkCoordination b = manager("site-b");
        Await.until("both connected", DEADLINE, () -> a.problem() == null && b.problem() == null, x -> x);
        a.seat("main").publish(new ManagerObservation("site-a", 7, "127.0.0.1:3306",
                ManagerObservation.Reach.UNREACHABLE, true, "unreachable for 1.0 s"));
        var heard = Await.until("b hears a", DEADLINE, () -> b.seat("main").peers().heard().get("site-a"),
                h -> h != null && h.observation().cycle() == 7);
        assertThat(heard.observation().reach()).isEqualTo(ManagerObservation.Reach.UNREACHABLE);
        assertThat(heard.age()).isLessThan(Duration.ofSeconds(3));
        assertThat(b.seat("other").peers().heard()).doesNotContainKey("site-a");
        Await.until("b lists a as up", DEADLINE, b::managers, l -> l.stream().anyMatch(m -> m.name().equals("site-a")
                && m.up() && "http://127.0.0.1/site-a".equals(m.url())));
        a.close();
        managers.remove(a);
        Await.until("a's observation is gone with it", DEADLINE, () -> b.seat("main").peers().heard(),
                h -> !h.containsKey("site-a"));
    }
}
