package dev.warden.cli;

import dev.warden.config.ConfigException;
import dev.warden.dialect.UnsupportedServerException;
import dev.warden.sandbox.SandboxException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code warden}: the daemon, the operator commands and the sandbox, in one jar. */
@Command(name = "warden", mixinStandardHelpOptions = true, versionProvider = WardenCommand.Version.class,
        description = "Failover manager for MySQL and MariaDB primary/replica clusters.",
        subcommands = {RunCommand.class, StatusCommand.class, CheckCommand.class, PlanCommand.class,
                SwitchoverCommand.class, FailoverCommand.class, AckCommand.class, MaintenanceCommand.class, PasswdCommand.class,
                TokenCommand.class, BenchCommand.class, DrillCommand.class, DemoCommand.class, SandboxCommand.class,
                ImportOrchestratorCommand.class,
                CommandLine.HelpCommand.class})
public final class WardenCommand implements Runnable {

    /** Exit codes: 0 done, 1 failed (or a check failed), 2 bad usage or configuration. */
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command line and returns the exit code. */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new WardenCommand());
        cl.setExecutionExceptionHandler(WardenCommand::handle);
        return cl.execute(args);
    }

    /** Runs a command line writing to the given streams (tests capture them). */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new WardenCommand());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler(WardenCommand::handle);
        return cl.execute(args);
    }

    private static int handle(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        if (e instanceof ConfigException) {
            err.println("error: " + e.getMessage());
            return USAGE;
        }
        if (e instanceof dev.warden.store.StoreException) {
            err.println("error: " + e.getMessage());
            return FAILED;
        }
        if (e instanceof SandboxException || e instanceof UnsupportedServerException
                || e instanceof IllegalStateException || e instanceof IllegalArgumentException) {
            err.println("error: " + e.getMessage());
            return FAILED;
        }
        err.println("error: " + e);
        e.printStackTrace(err);
        return FAILED;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"warden " + dev.warden.BuildInfo.get().display(),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
        }
    }
}
