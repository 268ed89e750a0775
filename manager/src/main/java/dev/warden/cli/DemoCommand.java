package dev.warden.cli;

import dev.warden.config.ConfigLoader;
import dev.warden.config.WardenConfig;
import dev.warden.engine.Monitor;
import dev.warden.store.Store;
import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxManager;
import dev.warden.sandbox.SandboxSpec;
import dev.warden.web.WebServer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code warden demo}: a sandbox of real servers, the daemon watching it and the console, in one command.
 * Ctrl-C stops all of it and removes the sandbox.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start real local servers (a primary and replicas), the daemon and the console.")
final class DemoCommand implements Callable<Integer> {

    @picocli.CommandLine.Mixin
    SandboxSpecOptions options;

    @Option(names = "--dir", defaultValue = "warden-demo", paramLabel = "D", description = "Default: ${DEFAULT-VALUE}.")
    Path dir;

    @Option(names = "--managers", defaultValue = "1", paramLabel = "N",
            description = "1: one daemon in this JVM (the default). 2..5: that many managers, each its own JVM with "
                    + "its own console (ports from --http-port), coordinated through a real 3-server ZooKeeper "
                    + "ensemble and sharing a MySQL store on a server of their own (ports after the sandbox's).")
    int managers;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (managers < 1 || managers > 5) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--managers must be between 1 and 5, "
                    + "not " + managers);
        }
        if (managers > 1) {
            return DemoManagers.run(out, options.spec(dir), options.httpPort, managers);
        }
        if (!dev.warden.sandbox.Ports.isFree(options.httpPort)) {
            throw new IllegalStateException("port " + options.httpPort + " on 127.0.0.1 is already in use; "
                    + "pass --http-port");
        }
        SandboxSpec s = options.spec(dir);
        out.println("Starting " + (s.replicas() + 1) + " real " + s.flavor() + " servers in " + s.dir() + " ...");
        out.flush();
        Sandbox sandbox = SandboxManager.up(s, options.httpPort);
        Monitor monitor = null;
        WebServer web = null;
        Store store = null;
        try {
            SandboxCommand.printSandbox(out, sandbox);
            WardenConfig cfg = ConfigLoader.load(sandbox.configFile()).config();
            store = Store.open(cfg.store(), Clock.systemUTC(), RunCommand.writerName());
            monitor = new Monitor(cfg, Clock.systemUTC(), RunCommand.writerName(), store);
            monitor.start();
            web = WebServer.start(cfg.http(), monitor);
            monitor.awaitFirstCycle(Duration.ofSeconds(10));
            out.println();
            out.println("Warden is watching the cluster. Next:");
            out.println("  console:     http://127.0.0.1:" + web.port() + "/");
            out.println("  topology:    ./warden status -c " + sandbox.configFile());
            out.println("  checks:      ./warden check -c " + sandbox.configFile());
            out.println("  plan:        ./warden plan -c " + sandbox.configFile() + "   (what a failover would do now)");
            out.println("  break it:    kill -9 " + sandbox.primary().pid() + "   (the primary: watch the log and the "
                    + "console as Warden fails over)");
            out.println("  stop:        Ctrl-C (stops the servers and removes " + s.dir() + ")");
            out.flush();
        } catch (RuntimeException e) {
            if (web != null) web.close();
            if (monitor != null) monitor.close();
            if (store != null) store.close();
            sandbox.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Monitor m = monitor;
        WebServer w = web;
        Store st = store;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            w.close();
            m.close();
            st.close();
            sandbox.close();
            System.err.println("Demo stopped; servers stopped and " + s.dir() + " removed.");
            stopped.countDown();
        }, "demo-shutdown"));
        stopped.await();
        return WardenCommand.OK;
    }
}
