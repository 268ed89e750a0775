package dev.warden.web;

import dev.warden.auth.ApiToken;
import dev.warden.auth.PasswordHash;
import dev.warden.config.ConfigLoader;
import dev.warden.config.WardenConfig;
import dev.warden.engine.ClusterMonitor;
import dev.warden.engine.Monitor;
import dev.warden.sandbox.Sandbox;
import dev.warden.store.Store;
import dev.warden.testing.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * A sandbox watched by a daemon in this JVM with its console and API on a free port, and users and tokens of
 * every role with known secrets.
 */
final class ConsoleHarness implements AutoCloseable {

    static final String VIEWER = "vera";
    static final String OPERATOR = "otto";
    static final String ADMIN = "ada";
    static final String VIEWER_PASSWORD = "vera-reads-only-1";
    static final String OPERATOR_PASSWORD = "otto-presses-buttons-2";
    static final String ADMIN_PASSWORD = "ada-may-force-3";
    static final String VIEWER_TOKEN = ApiToken.generate();
    static final String OPERATOR_TOKEN = ApiToken.generate();
    static final String ADMIN_TOKEN = ApiToken.generate();

    final Sandbox sandbox;
    final Path configFile;
    final WardenConfig config;
    final Store store;
    final Monitor monitor;
    final WebServer web;

    /** @param httpExtra more keys under {@code http:} (for TLS), or "" */
    ConsoleHarness(Sandbox sandbox, String httpExtra) throws IOException {
        this(sandbox, httpExtra, "");
    }

    /** @param topExtra top-level sections appended to the configuration (such as {@code failover:}) */
    ConsoleHarness(Sandbox sandbox, String httpExtra, String topExtra) throws IOException {
        this.sandbox = sandbox;
        String yaml = Files.readString(sandbox.configFile());
        String access = "users:\n"
                + user(VIEWER, "viewer", VIEWER_PASSWORD) + user(OPERATOR, "operator", OPERATOR_PASSWORD)
                + user(ADMIN, "admin", ADMIN_PASSWORD)
                + "tokens:\n" + token("prometheus", "viewer", VIEWER_TOKEN) + token("ci", "operator", OPERATOR_TOKEN)
                + token("root-bot", "admin", ADMIN_TOKEN)
                // the sandbox's own token: the warden commands read it from http.client_token_file
                + token("sandbox-cli", "admin", Files.readString(sandbox.spec().dir().resolve(
                        dev.warden.sandbox.SandboxConfigWriter.TOKEN_FILE)).trim());
        int users = yaml.indexOf("users:");
        int storeAt = yaml.indexOf("store:");
        String name = "console-" + System.nanoTime();
        yaml = yaml.substring(0, users) + access + yaml.substring(storeAt)
                .replace("path: warden.db", "path: " + name + ".db");
        yaml = yaml.replaceAll("listen: 127\\.0\\.0\\.1:\\d+", "listen: 127.0.0.1:"
                + dev.warden.sandbox.Ports.freeBlock(1) + httpExtra);
        this.configFile = sandbox.spec().dir().resolve(name + ".yaml");
        Files.writeString(configFile, yaml + topExtra);
        this.config = ConfigLoader.load(configFile).config();
        this.store = Store.open(config.store(), Clock.systemUTC(), "console-test");
        this.monitor = new Monitor(config, Clock.systemUTC(), "console-test", store);
        this.web = WebServer.start(config.http(), monitor);
        monitor.start();
        ClusterMonitor c = monitor.cluster("sandbox").orElseThrow();
        Await.until("a healthy cycle", Duration.ofSeconds(30), () -> c.latest().orElse(null),
                x -> x != null && x.sentence().contains(sandbox.replicas().size() + "/" + sandbox.replicas().size()
                        + " replicas replicating"));
    }

    private static String user(String name, String role, String password) {
        return "  " + name + ":\n    role: " + role + "\n    password_hash: \""
                + PasswordHash.hash(password.toCharArray()) + "\"\n";
    }

    private static String token(String name, String role, String token) {
        return "  " + name + ":\n    role: " + role + "\n    token_hash: \"" + ApiToken.hash(token) + "\"\n";
    }

    String base() {
        return config.http().scheme() + "://127.0.0.1:" + web.port();
    }

    ApiClient anonymous() {
        return ApiClient.anonymous(base());
    }

    ApiClient as(String user, String password) {
        ApiClient c = ApiClient.anonymous(base());
        ApiClient.Response r = c.login(user, password);
        if (r.status() != 200) {
            throw new AssertionError("login of " + user + " failed: " + r);
        }
        return c;
    }

    ApiClient token(String token) {
        return ApiClient.bearer(base(), token);
    }

    @Override
    public void close() {
        web.close();
        monitor.close();
        store.close();
    }
}
