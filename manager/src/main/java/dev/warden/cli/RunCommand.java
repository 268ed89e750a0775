package dev.warden.cli;

import dev.warden.config.WardenConfig;
import dev.warden.coordination.Coordination;
import dev.warden.coordination.ZkCoordination;
import dev.warden.engine.Monitor;
import dev.warden.store.Store;
import dev.warden.web.WebServer;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code warden run -c FILE}: the daemon. Probes continuously, one log sentence per cycle per cluster. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the daemon: watch every cluster, serve the console and API (http.listen).")
final class RunCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    @Mixin
    ConfigOption config;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        WardenConfig cfg = config.load(spec.commandLine().getErr());
        dev.warden.logging.LogFormat.apply(cfg.logging());
        log.info("Warden starting with {}: {} cluster(s), probe every {} ms.", config.file, cfg.clusters().size(),
                cfg.probe().interval().toMillis());
        // The store first: without it nothing is watched, let alone changed.
        Store store = Store.open(cfg.store(), Clock.systemUTC(), writerName(), cfg.coordinated());
        Coordination coordination = Coordination.ALONE;
        Monitor monitor;
        try {
            if (cfg.coordinated()) {
                coordination = new ZkCoordination(cfg.coordination(), cfg.clusters().stream()
                        .map(c -> c.name()).toList(), cfg.coordination().managerUrl(),
                        Monitor.observationFreshness(cfg.probe()));
            }
            monitor = new Monitor(cfg, Clock.systemUTC(), writerName(), store, coordination);
        } catch (RuntimeException e) {
            coordination.close();
            store.close();
            throw e;
        }
        Coordination coord = coordination;
        WebServer web = null;
        CountDownLatch stopped = new CountDownLatch(1);
        try {
            monitor.start();
            web = WebServer.start(cfg.http(), monitor);
            WebServer w = web;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                log.info("Stopping (signal received).");
                w.close();
                monitor.close();
                try {
                    if (!monitor.awaitIdle(java.time.Duration.ofSeconds(30))) {
                        log.warn("An operation still runs after 30 s; leaving the coordination anyway.");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                coord.close();
                store.close();
                stopped.countDown();
            }, "shutdown"));
            stopped.await();
            return WardenCommand.OK;
        } catch (RuntimeException e) {
            if (web != null) {
                web.close();
            }
            monitor.close();
            coord.close();
            store.close();
            throw e;
        }
    }

    static String writerName() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "unknown-host";
        }
        return "warden@" + host + ":" + ProcessHandle.current().pid();
    }
}
