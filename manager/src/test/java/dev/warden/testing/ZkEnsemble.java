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
}
