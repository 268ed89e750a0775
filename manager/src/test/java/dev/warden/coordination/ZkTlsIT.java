package dev.warden.coordination;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.config.CoordinationSettings;
import dev.warden.config.Secret;
import dev.warden.config.ZkTls;
import dev.warden.testing.Await;
import dev.warden.testing.TlsStores;
import dev.warden.testing.ZkEnsemble;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TLS to a real three-server ZooKeeper ensemble that requires client certificates (ZooKeeper's own server code
 * in this JVM, Netty on its secure client ports, 127.0.0.1): a manager with the servers' certificate to trust and
 * a certificate they trust leads; one whose certificate they do not trust, or that does not trust theirs, never
 * connects and leads nothing.
 */
class ZkTlsIT {

    static Path dir;
    static TlsStores.Pair server;
    static TlsStores.Pair client;
    static TlsStores.Pair stranger;
    static ZkEnsemble.Secure zk;
    final List<ZkCoordination> managers = new ArrayList<>();

    @BeforeAll
    static void ensemble() throws Exception {
        dir = Files.createTempDirectory("warden-zk-tls");
        server = TlsStores.make(dir, "zk-server");
        client = TlsStores.make(dir, "site-a");
        stranger = TlsStores.make(dir, "stranger");
        zk = ZkEnsemble.threeWithTls(server, client.certificate());
    }

    @AfterAll
    static void stop() throws Exception {
        zk.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @AfterEach
    void closeManagers() {
        managers.forEach(ZkCoordination::close);
    }

    /** @param tls null for a plain client */
    ZkCoordination manager(ZkTls tls) {
        CoordinationSettings s = new CoordinationSettings("site-a", null, zk.connect(), "/warden-tls",
                Duration.ofSeconds(2), Duration.ofMillis(1000), null, List.of("site-a")).withTls(tls);
        ZkCoordination c = new ZkCoordination(s, List.of("main"), "http://127.0.0.1/site-a", Duration.ofSeconds(3));
        managers.add(c);
        return c;
    }

    static ZkTls tls(Path trust, TlsStores.Pair identity) {
        return new ZkTls(trust, null, identity.keyStore(), Secret.of(TlsStores.PASSWORD), true);
    }

    @Test
    void aManagerWithTrustedCertificatesLeadsOverTls() {
        ZkCoordination c = manager(tls(server.certificate(), client));
        var l = Await.until("the manager leads over TLS", Duration.ofSeconds(30), () -> c.seat("main").leadership(),
                x -> x.leads());
        c.seat("main").prove(l.epoch());
    }

    /**
     * Three managers at once, none of which may connect: one whose certificate the servers do not trust, one that
     * does not trust the servers' (it trusts only the stranger's), and a plain client on the TLS ports.
     */
    @Test
    void untrustedCertificatesEitherWayAndPlainClientsNeverConnect() throws Exception {
        ZkCoordination untrusted = manager(tls(server.certificate(), stranger));
        ZkCoordination distrustful = manager(tls(stranger.certificate(), client));
        ZkCoordination plain = manager(null);
        assertNeverLeads(List.of(untrusted, distrustful, plain));
    }

    /** Over several session timeouts: no leadership, and each says why it does not act. */
    static void assertNeverLeads(List<ZkCoordination> all) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(6).toNanos();
        while (System.nanoTime() < until) {
            for (ZkCoordination c : all) {
                assertThat(c.seat("main").leadership().leads()).as("no leadership without a TLS session").isFalse();
            }
            Thread.sleep(200);
        }
        for (ZkCoordination c : all) {
            assertThat(c.seat("main").leadership().whyNotActing("main")).as("said why nobody acts").isNotNull();
        }
    }
}
