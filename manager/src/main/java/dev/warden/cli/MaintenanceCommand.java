package dev.warden.cli;

import dev.warden.config.WardenConfig;
import dev.warden.model.InstanceKey;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code warden maintenance on|off}: suspends automation for a cluster or one server. */
@Command(name = "maintenance", mixinStandardHelpOptions = true,
        description = "Suspend (on) or resume (off) automation for a cluster, or for one server with --server.")
final class MaintenanceCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "on|off")
    String state;

    @Mixin
    ConfigOption config;

    @Option(names = "--cluster", required = true, paramLabel = "NAME")
    String cluster;

    @Option(names = "--server", paramLabel = "HOST:PORT", description = "Only this server.")
    String server;

    @Option(names = "--for", paramLabel = "DURATION", description = "With on: end by itself after this long "
            + "(30m, 2h, 1d); kept across restarts.")
    String duration;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why; kept with the window.")
    String reason;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        boolean on = switch (state.toLowerCase(java.util.Locale.ROOT)) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException("'" + state + "' is neither on nor off");
        };
        if (server != null) {
            InstanceKey.parse(server); // a clear message for a malformed address, before anything is sent
        }
        if (duration != null) {
            if (!on) {
                throw new IllegalArgumentException("--for only goes with 'on'");
            }
            dev.warden.config.DurationText.parse(duration);
        }
        WardenConfig cfg = config.load(spec.commandLine().getErr());
        Checks.requireCluster(cfg, cluster, config.file);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("enabled", on);
        if (server != null) {
            body.put("server", server);
        }
        if (duration != null) {
            body.put("for", duration);
        }
        if (reason != null) {
            body.put("reason", reason);
        }
        new DaemonClient(cfg).post("/api/clusters/" + cluster + "/maintenance", body);
        spec.commandLine().getOut().println("Cluster " + cluster + (server == null ? "" : ", server " + server)
                + ": maintenance " + (on ? "on" + (duration == null ? "" : " for " + duration)
                + "; automation suspended." : "off; automation resumed."));
        spec.commandLine().getOut().flush();
        return WardenCommand.OK;
    }
}
