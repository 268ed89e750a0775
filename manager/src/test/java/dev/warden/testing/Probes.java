package dev.warden.testing;

import dev.warden.config.ClusterConfig;
import dev.warden.config.ConfigLoader;
import dev.warden.config.WardenConfig;
import dev.warden.probe.ClusterProber;
import dev.warden.probe.ConnectionFactory;
import dev.warden.sandbox.Sandbox;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Probing a sandbox the way the daemon does, from its generated warden.yaml. */
public final class Probes implements AutoCloseable {

    public final WardenConfig config;
    public final ClusterConfig cluster;
    public final ClusterProber prober;
    private final ExecutorService executor;

    public Probes(Sandbox sandbox) {
        this.config = ConfigLoader.load(sandbox.configFile()).config();
        this.cluster = config.clusters().get(0);
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "test-probe");
            t.setDaemon(true);
            return t;
        });
        this.prober = new ClusterProber(new ConnectionFactory(cluster.credentials(), config.probe().connectTimeout()),
                executor, Clock.systemUTC(), config.probe().readTimeout(), config.probe().writeTimeout(), "test");
    }

    @Override
    public void close() {
        prober.close();
        executor.shutdownNow();
    }
}
