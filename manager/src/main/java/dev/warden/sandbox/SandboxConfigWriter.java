package dev.warden.sandbox;

import dev.warden.auth.ApiToken;
import dev.warden.auth.PasswordHash;
import dev.warden.config.DurationText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes {@code warden.yaml} for a sandbox: ready for {@code warden run -c}. */
public final class SandboxConfigWriter {

    static final String FILE = "warden.yaml";
    /** The SQLite store the generated config names; removed with the sandbox. */
    static final String STORE = "warden.db";
    /** The console's admin password, for the person who started the sandbox (0600). */
    public static final String PASSWORD_FILE = "console-password";
    /** The API token the warden commands use against this sandbox's daemon (0600). */
    public static final String TOKEN_FILE = "api-token";
    public static final String ADMIN = "admin";

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
        y.append("  client_token_file: ").append(TOKEN_FILE).append("   # the token the warden commands use\n");
        String password = secret(spec.dir().resolve(PASSWORD_FILE), 18);
        String token = secret(spec.dir().resolve(TOKEN_FILE), 0);
        y.append("users:                 # console logins; the admin password is in ").append(PASSWORD_FILE)
                .append('\n');
        y.append("  ").append(ADMIN).append(":\n");
        y.append("    role: admin\n");
        y.append("    password_hash: \"").append(PasswordHash.hash(password.toCharArray())).append("\"\n");
        y.append("tokens:\n");
        y.append("  sandbox-cli:\n");
        y.append("    role: admin\n");
        y.append("    token_hash: \"").append(ApiToken.hash(token)).append("\"\n");
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

    /** A new random password ({@code length} > 0) or API token (0), written to {@code file} readable by its owner only. */
    private static String secret(Path file, int length) {
        String value;
        if (length > 0) {
            String alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
            java.security.SecureRandom random = new java.security.SecureRandom();
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < length; i++) {
                b.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            value = b.toString();
        } else {
            value = ApiToken.generate();
        }
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, value + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SandboxException("cannot write " + file + ": " + e.getMessage(), e);
        }
        return value;
    }
}
