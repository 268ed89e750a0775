package dev.warden.sandbox;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What several managers need besides the cluster they watch: a real three-server ZooKeeper ensemble (in this JVM)
 * and a server for their shared MySQL store (a sandbox of one server of the same flavor, in its own directory).
 * {@link #managers} starts a {@link ManagerGroup} on a cluster sandbox with a schema and a ZooKeeper root of its
 * own, so runs after one another share nothing but the processes. Closing stops the ensemble and the store server
 * and removes their files.
 */
public final class ManagersSetup implements AutoCloseable {

    private volatile Sandbox store;
    private volatile ZooKeeperEnsemble zk;
    private volatile Path dir;

    /** Not started: {@link #start}; {@link #close} stops whatever was started, even part of it. */
    public ManagersSetup() {
    }

    /** The ports needed from {@code basePort}: the store server's, then the ensemble's. */
    public static int portsNeeded() {
        return 1 + ZooKeeperEnsemble.portsNeeded();
    }

    /**
     * Starts the store server (port {@code basePort}) and the ensemble (the next ports) under {@code dir}; a data
     * directory left there by an earlier run is removed first (its znodes would name managers long gone).
     */
    public ManagersSetup start(SandboxFlavor flavor, Path dir, int basePort, Path cacheDir) {
        this.dir = dir;
        store = SandboxManager.up(new SandboxSpec(flavor, 0, basePort, dir.resolve("store"), cacheDir,
                Duration.ofSeconds(1)), 0);
        FileTrees.deleteRecursively(dir.resolve("zookeeper"));
        zk = ZooKeeperEnsemble.start(dir.resolve("zookeeper"), basePort + 1);
        return this;
    }

    public String zkConnect() {
        return zk.connectString();
    }

    public Sandbox storeServer() {
        return store;
    }

    /** {@code n} managers (site-a, ...) on {@code cluster}, sharing store schema {@code schema} and ZooKeeper root. */
    public ManagerGroup managers(Sandbox cluster, String schema, String zkRoot, int n, int firstHttpPort,
                                 Duration sessionTimeout, List<String> jvmOptions) throws IOException {
        return ManagerGroup.start(cluster, ManagerGroup.storeSection(store, schema), zk.connectString(), zkRoot,
                ManagerGroup.names(n), firstHttpPort, sessionTimeout, jvmOptions);
    }

    @Override
    public void close() {
        if (zk != null) {
            zk.close();
            FileTrees.deleteRecursively(zk.dir());
        }
        if (store != null) {
            store.close();
        } else if (dir != null) {
            Teardown.downIfThere(dir.resolve("store")); // stopped while its servers were starting
        }
    }
}
