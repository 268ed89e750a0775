package dev.warden.sandbox;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Several Warden managers on one sandbox, each its own JVM ({@code warden run}) with its own console port and
 * log, coordinated through a ZooKeeper ensemble and sharing a MySQL store on a server of their own (never a server
 * of the cluster they watch): what {@code warden demo --managers N} and {@code warden bench failover --managers N}
 * run. Closing stops the managers it started (by PID); the store server and the ensemble belong to the caller.
 */
public final class ManagerGroup implements AutoCloseable {

    /** One manager: its name, console port, configuration, log and process. */
    public record Member(String name, int httpPort, Path config, Path log, Process process) {
        public long pid() {
            return process.pid();
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Sandbox sandbox;
    private final List<Member> members = new ArrayList<>();
    private final String token;
    /** Managers killed on purpose: their exit is not a failure. */
    private final java.util.Set<String> killed = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private ManagerGroup(Sandbox sandbox) throws IOException {
        this.sandbox = sandbox;
        this.token = Files.readString(sandbox.spec().dir().resolve(SandboxConfigWriter.TOKEN_FILE)).trim();
    }

    /** Names site-a, site-b, ... for {@code n} managers. */
    public static List<String> names(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add("site-" + (char) ('a' + i));
        }
        return out;
    }

    /**
     * Makes {@code schema} and its account on the store server (a sandbox of one server), for the managers' shared
     * store; returns the {@code store:} section of warden.yaml that names it.
     */
    public static String storeSection(Sandbox storeServer, String schema) {
        try (Connection c = storeServer.root(storeServer.primary()); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE IF NOT EXISTS " + schema);
            st.execute("CREATE USER IF NOT EXISTS 'warden_store'@'%' IDENTIFIED BY 'warden-store-pw'");
            st.execute("GRANT ALL ON " + schema + ".* TO 'warden_store'@'%'");
        } catch (SQLException e) {
            throw new SandboxException("cannot make the shared store " + schema + " on "
                    + storeServer.primary().name() + ": " + e.getMessage(), e);
        }
        return "store:\n  mysql:\n    url: jdbc:mysql://127.0.0.1:" + storeServer.primary().port() + "/" + schema
                + "?allowPublicKeyRetrieval=true\n    user: warden_store\n    password: warden-store-pw\n";
    }

    /**
     * Starts {@code names.size()} managers on the sandbox: console ports from {@code firstHttpPort}, the shared
     * store, the ensemble at {@code zkConnect} under {@code zkRoot}. Returns once each has started its JVM (not
     * once it is healthy: see {@link #awaitLeader}).
     */
    public static ManagerGroup start(Sandbox sandbox, String store, String zkConnect, String zkRoot,
                                     List<String> names, int firstHttpPort, Duration sessionTimeout,
                                     List<String> jvmOptions) throws IOException {
        ManagerGroup g = new ManagerGroup(sandbox);
        try {
            String base = Files.readString(sandbox.configFile());
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                int port = firstHttpPort + i;
                String yaml = base.replaceAll("listen: 127\\.0\\.0\\.1:\\d+", "listen: 127.0.0.1:" + port)
                        .replaceAll("store:\\n  path: [^\\n]*\\n", java.util.regex.Matcher.quoteReplacement(store));
                yaml += "manager:\n  name: " + name + "\n  url: http://127.0.0.1:" + port + "\n"
                        + "coordination:\n  zookeeper:\n    connect: " + zkConnect + "\n    root: " + zkRoot + "\n"
                        + "    session_timeout: " + sessionTimeout.toMillis() + "ms\n"
                        + "    connection_timeout: " + Math.max(200, sessionTimeout.toMillis() / 2) + "ms\n"
                        + "  managers: [" + String.join(", ", names) + "]\n";
                Path config = sandbox.spec().dir().resolve("warden-" + name + ".yaml");
                Files.writeString(config, yaml);
                Path log = sandbox.spec().dir().resolve("warden-" + name + ".log");
                List<String> cmd = new ArrayList<>();
                cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
                cmd.addAll(jvmOptions);
                cmd.addAll(List.of("-cp", absoluteClassPath(), "dev.warden.cli.WardenCommand",
                        "run", "-c", config.toString()));
                Process p = new ProcessBuilder(cmd).directory(sandbox.spec().dir().toFile())
                        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
                g.members.add(new Member(name, port, config, log, p));
            }
            return g;
        } catch (IOException | RuntimeException e) {
            g.close();
            throw e;
        }
    }

    /**
     * This JVM's class path with every entry made absolute: a manager runs in the sandbox's directory, so a relative
     * entry ({@code java -jar manager/target/warden.jar ...}) would name nothing there.
     */
    static String absoluteClassPath() {
        return java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(e -> !e.isEmpty()).map(e -> Path.of(e).toAbsolutePath().toString())
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    public List<Member> members() {
        return List.copyOf(members);
    }

    /** The manager whose {@code /health/leader} answers 200 (it leads every cluster it watches), if one does. */
    public Optional<Member> leader() {
        for (Member m : members) {
            if (m.process().isAlive() && status(m, "/health/leader") == 200) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /** Waits until one manager leads; fails with the managers' last log lines if none does in time. */
    public Member awaitLeader(Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            for (Member m : members) {
                if (!m.process().isAlive() && !killed.contains(m.name())) {
                    throw new SandboxException("manager " + m.name() + " exited: " + tail(m, 20));
                }
            }
            Optional<Member> l = leader();
            if (l.isPresent()) {
                return l.get();
            }
            sleep(20);
        }
        throw new SandboxException("no manager leads after " + timeout.toSeconds() + " s; " + tails());
    }

    /** Waits until every manager's console answers (the banner lists them); fails with its log if one does not. */
    public void awaitConsoles(Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        for (Member m : members) {
            while (m.process().isAlive() && status(m, "/healthz") == 0) {
                if (System.nanoTime() > end) {
                    throw new SandboxException("the console of manager " + m.name() + " on port " + m.httpPort()
                            + " does not answer after " + timeout.toSeconds() + " s: " + tail(m, 20));
                }
                sleep(50);
            }
        }
    }

    /** The HTTP status of {@code path} on a manager's API (with the sandbox's token), 0 when it does not answer. */
    public int status(Member m, String path) {
        try {
            return get(m, path).statusCode();
        } catch (IOException e) {
            return 0;
        }
    }

    public HttpResponse<String> get(Member m, String path) throws IOException {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + m.httpPort() + path))
                    .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** kill -9 of one manager's JVM. */
    public void kill(Member m) {
        killed.add(m.name());
        m.process().destroyForcibly();
        try {
            m.process().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last {@code lines} lines of a manager's log. */
    public static String tail(Member m, int lines) {
        try {
            List<String> all = Files.readAllLines(m.log());
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private String tails() {
        StringBuilder b = new StringBuilder();
        for (Member m : members) {
            b.append("\n---- ").append(m.name()).append(" (").append(m.log()).append(") ----\n").append(tail(m, 15));
        }
        return b.toString();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("interrupted", e);
        }
    }

    public Sandbox sandbox() {
        return sandbox;
    }

    /** Stops every manager this group started (SIGTERM, then kill -9 after 10 s) and removes their files. */
    @Override
    public void close() {
        for (Member m : members) {
            m.process().destroy();
        }
        for (Member m : members) {
            try {
                if (!m.process().waitFor(10, TimeUnit.SECONDS)) {
                    m.process().destroyForcibly();
                    m.process().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                m.process().destroyForcibly();
            }
            String keep = System.getProperty("warden.keep-manager-logs");
            if (keep != null) {
                keptCopy(m, keep);
                continue;
            }
            try {
                Files.deleteIfExists(m.config());
                Files.deleteIfExists(m.log());
            } catch (IOException e) {
                // left in the sandbox directory
            }
        }
    }

    /** With -Dwarden.keep-manager-logs=DIR (not "true"), a copy of the log in DIR: a bench removes its sandbox. */
    private static void keptCopy(Member m, String dir) {
        if (dir.isEmpty() || dir.equals("true")) {
            return;
        }
        try {
            Path to = Path.of(dir);
            Files.createDirectories(to);
            Files.copy(m.log(), to.resolve(m.log().getParent().getFileName() + "-" + m.log().getFileName()),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // the sandbox's copy is all there is
        }
    }
}
