package dev.warden.cli;

import dev.warden.config.CoordinationSettings;
import dev.warden.config.DurationText;
import dev.warden.sandbox.FileTrees;
import dev.warden.sandbox.ManagerGroup;
import dev.warden.sandbox.ManagersSetup;
import dev.warden.sandbox.Ports;
import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxManager;
import dev.warden.sandbox.SandboxSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code warden demo --managers N}: the sandbox, a server for the managers' shared store, a real three-server
 * ZooKeeper ensemble (in this JVM) and N managers, each in its own JVM with its own console, so that one can kill
 * the leading manager and watch another take over. Ctrl-C stops all of it and removes its files.
 */
final class DemoManagers {

    private DemoManagers() {
    }

    static int run(PrintWriter out, SandboxSpec s, int httpPort, int n) throws Exception {
        int busy = Ports.firstBusy(httpPort, n);
        if (busy >= 0) {
            throw new IllegalStateException("port " + busy + " on 127.0.0.1 is already in use; the " + n
                    + " managers' consoles need ports " + httpPort + ".." + (httpPort + n - 1) + ": pass --http-port");
        }
        int extra = s.basePort() + s.replicas() + 1;
        busy = Ports.firstBusy(extra, ManagersSetup.portsNeeded());
        if (busy >= 0) {
            throw new IllegalStateException("port " + busy + " on 127.0.0.1 is already in use; the store server and "
                    + "the ZooKeeper ensemble need ports " + extra + ".." + (extra + ManagersSetup.portsNeeded() - 1)
                    + ": choose another --base-port");
        }
        int last = extra + ManagersSetup.portsNeeded() - 1;
        if (httpPort <= last && httpPort + n - 1 >= s.basePort()) {
            throw new IllegalStateException("the managers' consoles (ports " + httpPort + ".." + (httpPort + n - 1)
                    + ") would overlap the servers and the ZooKeeper ensemble (ports " + s.basePort() + ".." + last
                    + "): choose another --http-port or --base-port");
        }
        Path aside = s.dir().toAbsolutePath().resolveSibling(s.dir().getFileName() + "-managers");
        Duration session = CoordinationSettings.DEFAULT_SESSION_TIMEOUT;
        out.println("Starting " + (s.replicas() + 1) + " real " + s.flavor() + " servers in " + s.dir() + ", a server "
                + "for the managers' shared store and a 3-server ZooKeeper ensemble in " + aside + ", then " + n
                + " managers ...");
        out.flush();
        // Torn down in reverse order by Ctrl-C, even one pressed while things are still starting.
        dev.warden.sandbox.Teardown teardown = new dev.warden.sandbox.Teardown("demo-shutdown",
                undone -> System.err.println("Demo stopped: " + String.join("; ", undone) + "."));
        try {
            Sandbox sandbox = teardown.start("the cluster's servers stopped, " + s.dir() + " removed",
                    () -> dev.warden.sandbox.Teardown.downIfThere(s.dir()), () -> SandboxManager.up(s, httpPort));
            ManagersSetup setup = new ManagersSetup();
            teardown.start("the ZooKeeper ensemble and the store server stopped, " + aside + " removed", () -> {
                setup.close();
                FileTrees.deleteRecursively(aside);
            }, () -> setup.start(s.flavor(), aside, extra, s.cacheDir()));
            java.util.concurrent.atomic.AtomicReference<ManagerGroup> started = new java.util.concurrent.atomic.AtomicReference<>();
            ManagerGroup group = teardown.start("managers " + String.join(", ", ManagerGroup.names(n)) + " stopped",
                    () -> {
                if (started.get() != null) {
                    started.get().close();
                }
            }, () -> {
                started.set(setup.managers(sandbox, "warden_demo", "/warden", n, httpPort, session, List.of()));
                return started.get();
            });
            ManagerGroup.Member leader = group.awaitLeader(Duration.ofSeconds(90));
            group.awaitConsoles(Duration.ofSeconds(60));
            SandboxCommand.printSandbox(out, sandbox);
            out.println("ZooKeeper ensemble: " + setup.zkConnect() + "   shared store: MySQL on 127.0.0.1:"
                    + setup.storeServer().primary().port() + ", schema warden_demo");
            TextTable t = new TextTable("MANAGER", "CONSOLE", "PID", "LOG");
            for (ManagerGroup.Member m : group.members()) {
                t.add(m.name() + (m == leader ? " (leads)" : ""), "http://127.0.0.1:" + m.httpPort() + "/",
                        Long.toString(m.pid()), m.log().toString());
            }
            out.print(t.render());
            out.println();
            out.println(n + " managers watch the cluster; " + leader.name() + " leads it, the others watch and vote. "
                    + "Next:");
            out.println("  managers:    ./warden status -c " + leader.config() + "   (who leads, at which epoch)");
            out.println("  kill the leading manager: kill -9 " + leader.pid() + "   (another leads once its ZooKeeper "
                    + "session expires, " + DurationText.format(session) + ", and finishes what it left)");
            out.println("  break it:    kill -9 " + sandbox.primary().pid() + "   (the primary: the leader fails over "
                    + "once a majority of the managers confirm it is gone)");
            out.println("  stop:        Ctrl-C (stops everything and removes " + s.dir() + " and " + aside + ")");
            out.flush();
        } catch (Exception e) {
            teardown.close();
            throw e;
        }
        teardown.awaitStopped();
        return WardenCommand.OK;
    }
}
