package dev.warden.sandbox;

import dev.warden.config.DurationText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes {@code warden.yaml} for a sandbox: ready for {@code warden run -c}. */
final class SandboxConfigWriter {

    static final String FILE = "warden.yaml";
    /** The SQLite store the generated config names; removed with the sandbox. */
    static final String STORE = "warden.db";

    private SandboxConfigWriter() {
    }

    static Path write(SandboxSpec spec, List<SandboxInstance> instances, int httpPort) {
        StringBuilder y = new StringBuilder();
        y.append("# Written by `warden sandbox up` for a ").append(spec.flavor().cliName()).append(" sandbox in ")
                .append(spec.dir()).append(".\n");
        y.append("# Start the daemon with: warden run -c ").append(spec.dir().resolve(FILE)).append('\n');
        y.append("credentials:\n");
        y.append("  user: ").append(SandboxCredentials.WARDEN_USER).append('\n');
        y.append("  password: ").append(SandboxCredentials.WARDEN_PASSWORD).append('\n');
        y.append("  replication_user: ").append(SandboxCredentials.REPL_USER).append('\n');
        y.append("  replication_password: ").append(SandboxCredentials.REPL_PASSWORD).append('\n');
        y.append("  tls: preferred\n");
        y.append("replication:\n");
        y.append("  heartbeat_period: ").append(DurationText.format(spec.heartbeatPeriod())).append('\n');
        y.append("http:\n");
        y.append("  listen: 127.0.0.1:").append(httpPort).append('\n');
        y.append("store:\n");
        y.append("  path: ").append(STORE).append("   # operations, findings and controls; relative to this file\n");
        y.append("clusters:\n");
        y.append("  ").append(SandboxCredentials.CLUSTER).append(":\n");
        y.append("    servers:\n");
        for (SandboxInstance i : instances) {
            y.append("      - host: 127.0.0.1\n");
            y.append("        port: ").append(i.port()).append('\n');
            y.append("        promotion: ").append(i.initialPrimary() ? "neutral" : "prefer").append('\n');
        }
        Path f = spec.dir().resolve(FILE);
        try {
            Files.writeString(f, y.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SandboxException("cannot write " + f + ": " + e.getMessage(), e);
        }
        return f;
    }
}
