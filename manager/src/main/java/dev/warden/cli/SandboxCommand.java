package dev.warden.cli;

import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxInstance;
import dev.warden.sandbox.SandboxManager;
import dev.warden.sandbox.SandboxSpec;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code warden sandbox up|down|status}: a local cluster of real servers on 127.0.0.1. */
@Command(name = "sandbox", mixinStandardHelpOptions = true,
        description = "Start, stop or show a local cluster of real servers on 127.0.0.1.",
        subcommands = {SandboxCommand.Up.class, SandboxCommand.Down.class, SandboxCommand.Status.class})
final class SandboxCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = "Start a primary (base port) and replicas (base port + 1..N) with GTID replication; "
                    + "write D/warden.yaml.")
    static final class Up implements Callable<Integer> {
        @Mixin
        SandboxSpecOptions options;

        @Mixin
        SandboxDirOption dir;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            SandboxSpec s = options.spec(dir.dir);
            PrintWriter out = spec.commandLine().getOut();
            out.println("Starting " + (s.replicas() + 1) + " " + s.flavor() + " servers in " + s.dir() + " ...");
            out.flush();
            Sandbox sb = SandboxManager.up(s, options.httpPort);
            printSandbox(out, sb);
            out.println("Stop it with: warden sandbox down --dir " + s.dir());
            out.flush();
            return WardenCommand.OK;
        }
    }

    static void printSandbox(PrintWriter out, Sandbox sb) {
        out.println("Sandbox of " + sb.instances().size() + " " + sb.flavor().flavor().displayName() + " "
                + sb.version() + " servers, up in " + sb.startupTime().toMillis() + " ms:");
        TextTable t = new TextTable("NAME", "ROLE", "ADDRESS", "PID", "CONNECT");
        for (SandboxInstance i : sb.instances()) {
            t.add(i.name(), i.initialPrimary() ? "primary" : "replica", i.key().toString(), Long.toString(i.pid()),
                    "mariadb --protocol=TCP -h127.0.0.1 -P" + i.port() + " -uroot");
        }
        out.print(t.render());
        out.println("Config: " + sb.configFile() + "  (warden run -c " + sb.configFile() + ")");
        java.nio.file.Path pw = sb.spec().dir().resolve(dev.warden.sandbox.SandboxConfigWriter.PASSWORD_FILE);
        try {
            out.println("Console login: " + dev.warden.sandbox.SandboxConfigWriter.ADMIN + " / "
                    + java.nio.file.Files.readString(pw).trim() + "  (also in " + pw + ")");
        } catch (java.io.IOException e) {
            out.println("Console login: " + dev.warden.sandbox.SandboxConfigWriter.ADMIN + ", password in " + pw);
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true,
            description = "Stop every server of the sandbox (by PID) and delete its files.")
    static final class Down implements Callable<Integer> {
        @Mixin
        SandboxDirOption dir;

        @Option(names = "--graceful", description = "SIGTERM and wait (default: SIGKILL, the data is thrown away).")
        boolean graceful;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            List<String> stopped = SandboxManager.down(dir.dir, graceful ? SandboxManager.StopMode.GRACEFUL
                    : SandboxManager.StopMode.IMMEDIATE);
            PrintWriter out = spec.commandLine().getOut();
            out.println(stopped.isEmpty() ? "No server of " + dir.dir.toAbsolutePath() + " was running; files removed."
                    : "Stopped " + String.join(", ", stopped) + "; removed " + dir.dir.toAbsolutePath() + ".");
            out.flush();
            return WardenCommand.OK;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Show the sandbox's servers and PIDs.")
    static final class Status implements Callable<Integer> {
        @Mixin
        SandboxDirOption dir;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            List<SandboxManager.InstanceStatus> st = SandboxManager.status(dir.dir);
            PrintWriter out = spec.commandLine().getOut();
            TextTable t = new TextTable("NAME", "FLAVOR", "ADDRESS", "PID", "PROCESS", "PORT");
            boolean allUp = true;
            for (SandboxManager.InstanceStatus s : st) {
                t.add(s.instance().name(), s.flavor() + " " + s.version(), s.instance().key().toString(),
                        Long.toString(s.instance().pid()), s.running() ? "running" : "gone",
                        s.listening() ? "listening" : "closed");
                allUp &= s.running() && s.listening();
            }
            out.print(t.render());
            out.flush();
            return allUp ? WardenCommand.OK : WardenCommand.FAILED;
        }
    }
}
