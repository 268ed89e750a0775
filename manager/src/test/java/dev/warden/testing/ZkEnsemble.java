package dev.warden.testing;

import dev.warden.sandbox.Ports;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.apache.zookeeper.util.ServiceUtils;

/**
 * A real three-server ZooKeeper ensemble in the test JVM on 127.0.0.1, on ports this process picked and checked
 * free (client, election and quorum ports from one block of the test range, all distinct: Curator's random ports
 * can collide, one server's client port with another's election port). A server that fails to start logs its
 * error instead of ending the test JVM (ZooKeeper's default is System.exit).
 */
public final class ZkEnsemble {

    private ZkEnsemble() {
    }

    /** Three servers with a 200 ms tick (sessions from 400 ms), started. */
    public static TestingCluster three() throws Exception {
        ServiceUtils.setSystemExitProcedure(ServiceUtils.LOG_ONLY);
        int base = Ports.freeBlock(9);
        List<InstanceSpec> specs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            specs.add(new InstanceSpec(null, base + 3 * i, base + 3 * i + 1, base + 3 * i + 2, true, i + 1, 200, -1,
                    null, "127.0.0.1"));
        }
        TestingCluster zk = new TestingCluster(specs);
        zk.start();
        return zk;
    }

    /** An ensemble that also listens with TLS, and the connect string of its TLS ports. */
    public record Secure(TestingCluster cluster, String connect) implements AutoCloseable {
        @Override
        public void close() throws java.io.IOException {
            cluster.close();
            // ZooKeeper's server keeps its TLS settings as JVM-wide system properties: the next ensemble is plain.
            for (String k : SECURE_PROPERTIES) {
                System.clearProperty("zookeeper." + k);
            }
        }
    }

    private static final List<String> SECURE_PROPERTIES = List.of("serverCnxnFactory", "ssl.keyStore.location",
            "ssl.keyStore.password", "ssl.keyStore.type", "ssl.trustStore.location", "ssl.trustStore.type",
            "ssl.clientAuth");

    /**
     * Three servers, each with a TLS client port besides the plain one ({@code secureClientPort}, Netty), presenting
     * {@code server}'s certificate and accepting only clients whose certificate {@code trustedClients} holds (PEM).
     */
    public static Secure threeWithTls(TlsStores.Pair server, java.nio.file.Path trustedClients) throws Exception {
        ServiceUtils.setSystemExitProcedure(ServiceUtils.LOG_ONLY);
        int base = Ports.freeBlock(12);
        List<InstanceSpec> specs = new ArrayList<>();
        List<String> secure = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            java.util.Map<String, Object> props = new java.util.LinkedHashMap<>();
            props.put("secureClientPort", Integer.toString(base + 9 + i));
            props.put("serverCnxnFactory", "org.apache.zookeeper.server.NettyServerCnxnFactory");
            props.put("ssl.keyStore.location", server.keyStore().toString());
            props.put("ssl.keyStore.password", TlsStores.PASSWORD);
            props.put("ssl.keyStore.type", "PKCS12");
            props.put("ssl.trustStore.location", trustedClients.toString());
            props.put("ssl.trustStore.type", "PEM");
            props.put("ssl.clientAuth", "need");
            specs.add(new InstanceSpec(null, base + 3 * i, base + 3 * i + 1, base + 3 * i + 2, true, i + 1, 200, -1,
                    props, "127.0.0.1"));
            secure.add("127.0.0.1:" + (base + 9 + i));
        }
        TestingCluster zk = new TestingCluster(specs);
        zk.start();
        return new Secure(zk, String.join(",", secure));
    }
}
