package dev.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.sandbox.Ports;
import dev.warden.sandbox.SandboxFlavor;
import dev.warden.sandbox.SandboxState;
import dev.warden.testing.Await;
import dev.warden.testing.Cli;
import dev.warden.testing.SandboxExtension;
import dev.warden.testing.WardenProcess;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sandbox and demo commands as users run them: the real jar in its own JVM. Teardown must work after the
 * JVM that started the servers is gone (exited normally, or killed with -9).
 */
class SandboxCliIT {

    static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(3);
    Path work;

    @BeforeEach
    void setUp() throws IOException {
        Assumptions.assumeTrue(SandboxExtension.selectedFlavors().contains(SandboxFlavor.MYSQL8), "mysql8 not selected");
        work = Files.createDirectories(Path.of("target", "cli-it").toAbsolutePath());
    }

    static List<Long> pids(Path dir) {
        return SandboxState.read(dir).instances().stream().map(SandboxState.Instance::pid).toList();
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Test
    void upStatusDownWithTheServersOutlivingTheJvmThatStartedThem() throws Exception {
        Path dir = work.resolve("updown-" + System.nanoTime());
        int port = Ports.freeBlock(3);
        Cli.Run up = WardenProcess.run(work, COMMAND_TIMEOUT, "sandbox", "up", "--dir", dir.toString(),
                "--base-port", Integer.toString(port));
        try {
            assertThat(up.exitCode()).as(up.toString()).isZero();
            assertThat(up.out()).contains("127.0.0.1:" + port).contains("primary").contains("warden.yaml")
                    .containsPattern("s1\\s+replica\\s+127\\.0\\.0\\.1:" + (port + 1) + "\\s+\\d+");
            List<Long> pids = pids(dir);
            assertThat(pids).hasSize(3).allSatisfy(pid -> assertThat(alive(pid)).isTrue());

            Cli.Run status = WardenProcess.run(work, COMMAND_TIMEOUT, "sandbox", "status", "--dir", dir.toString());
            assertThat(status.exitCode()).as(status.toString()).isZero();
            assertThat(status.out()).contains("running").contains("listening");

            Cli.Run again = WardenProcess.run(work, COMMAND_TIMEOUT, "sandbox", "up", "--dir", dir.toString(),
                    "--base-port", Integer.toString(Ports.freeBlock(3)));
            assertThat(again.exitCode()).isEqualTo(1);
            assertThat(again.out()).contains("a sandbox is already running in " + dir).contains("sandbox down --dir");

            Cli.Run down = WardenProcess.run(work, COMMAND_TIMEOUT, "sandbox", "down", "--dir", dir.toString());
            assertThat(down.exitCode()).as(down.toString()).isZero();
            for (long pid : pids) {
                Await.until("PID " + pid + " to exit", Duration.ofSeconds(30), () -> alive(pid), a -> !a);
            }
            assertThat(dir).doesNotExist();
        } finally {
            if (Files.exists(dir.resolve(SandboxState.FILE))) {
                Cli.run("sandbox", "down", "--dir", dir.toString());
            }
        }
    }

    @Test
    void aBusyPortIsNamedAndNothingIsStarted() throws Exception {
        int port = Ports.freeBlock(3);
        Path dir = work.resolve("busy-" + System.nanoTime());
        try (ServerSocket squatter = new ServerSocket(port + 1, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            Cli.Run up = Cli.run("sandbox", "up", "--dir", dir.toString(), "--base-port", Integer.toString(port));
            assertThat(up.exitCode()).isEqualTo(1);
            assertThat(up.err()).contains("port " + (port + 1) + " on 127.0.0.1 is already in use")
                    .contains("choose another --base-port");
            assertThat(Files.exists(dir.resolve("servers"))).isFalse();
        }
    }

    @Test
    void theDemoServesTheConsoleAndItsServersAreStoppedAfterTheJvmIsKilled() throws Exception {
        Path dir = work.resolve("demo-" + System.nanoTime());
        int port = Ports.freeBlock(3);
        int http = Ports.freeBlock(1);
        HttpClient client = HttpClient.newHttpClient();
        try (WardenProcess demo = WardenProcess.start(work, "demo", "--dir", dir.toString(), "--base-port",
                Integer.toString(port), "--http-port", Integer.toString(http))) {
            String banner = Await.until("the demo to say what to do next", COMMAND_TIMEOUT, demo::output,
                    // the banner's last line: the output is read while the lines above it may still be coming
                    out -> out.contains("  stop:        Ctrl-C") || !demo.isAlive());
            assertThat(banner).as(banner).contains("http://127.0.0.1:" + http + "/").contains("kill -9")
                    .contains("Console login: admin / ");
            assertThat(client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/api/clusters"))
                    .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).as("the API needs a login").isEqualTo(401);
            HttpResponse<String> page = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("<title>Warden</title>");
            String token = dev.warden.testing.SandboxToken.header(dir);
            String api = Await.until("the API to show the cluster", Duration.ofSeconds(20), () -> get(client,
                    "http://127.0.0.1:" + http + "/api/clusters", token), body -> body.contains("replicas replicating"));
            assertThat(api).contains("\"name\":\"sandbox\"").contains("127.0.0.1:" + port);

            List<Long> pids = pids(dir);
            demo.killHard();
            assertThat(pids).allSatisfy(pid -> assertThat(alive(pid)).as("server %d outlives the killed JVM", pid)
                    .isTrue());
            Cli.Run down = Cli.run("sandbox", "down", "--dir", dir.toString());
            assertThat(down.exitCode()).as(down.toString()).isZero();
            for (long pid : pids) {
                Await.until("PID " + pid + " to exit", Duration.ofSeconds(30), () -> alive(pid), a -> !a);
            }
        } finally {
            if (Files.exists(dir.resolve(SandboxState.FILE))) {
                Cli.run("sandbox", "down", "--dir", dir.toString());
            }
        }
    }

    /** Every process whose command line names {@code dir} (servers, managers): none may outlive the demo. */
    static List<ProcessHandle> under(Path dir) {
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine().map(c -> c.contains(dir.toString()))
                .orElse(false)).toList();
    }

    /**
     * {@code demo --managers 3}: a real ZooKeeper ensemble, a store server and three manager JVMs, one leading;
     * kill -9 of the leading manager hands the cluster to another; SIGTERM (Ctrl-C) stops every process and says so.
     */
    @Test
    void theDemoWithThreeManagersHandsTheClusterOverWhenTheLeaderIsKilledAndStopsEverything() throws Exception {
        Path dir = work.resolve("demo3-" + System.nanoTime());
        int port = Ports.freeBlock(3 + dev.warden.sandbox.ManagersSetup.portsNeeded());
        int http = Ports.freeBlock(3);
        HttpClient client = HttpClient.newHttpClient();
        WardenProcess demo = WardenProcess.start(work, "demo", "--managers", "3", "--dir", dir.toString(),
                "--base-port", Integer.toString(port), "--http-port", Integer.toString(http));
        Path aside = dir.resolveSibling(dir.getFileName() + "-managers");
        try {
            String banner = Await.until("the demo to say what to do next", COMMAND_TIMEOUT, demo::output,
                    out -> out.contains("Ctrl-C (stops everything") || !demo.isAlive());
            assertThat(banner).as(banner).contains("http://127.0.0.1:" + http + "/")
                    .contains("http://127.0.0.1:" + (http + 2) + "/").contains("(leads)");
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("kill the leading manager: kill -9 (\\d+)")
                    .matcher(banner);
            assertThat(m.find()).as(banner).isTrue();
            long leaderPid = Long.parseLong(m.group(1));
            String token = dev.warden.testing.SandboxToken.header(dir);
            String managers = get(client, "http://127.0.0.1:" + http + "/api/managers", token);
            assertThat(managers).contains("site-a").contains("site-b").contains("site-c");
            ProcessHandle.of(leaderPid).orElseThrow().destroyForcibly();
            Await.until("another manager leads", Duration.ofSeconds(40), () -> {
                for (int p = http; p < http + 3; p++) {
                    try {
                        if (client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p + "/health/leader"))
                                .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                            return p;
                        }
                    } catch (IOException e) {
                        // the killed one, or not answering yet
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return null;
                    }
                }
                return null;
            }, p -> p != null);
            assertThat(under(dir)).as("servers and managers running").isNotEmpty();
            assertThat(Runtime.getRuntime().exec(new String[] {"kill", "-TERM", Long.toString(demo.pid())})
                    .waitFor()).isZero();
            assertThat(demo.waitFor(Duration.ofSeconds(90))).as("exit after SIGTERM: " + demo.output()).isIn(0, 143);
            assertThat(demo.output()).contains("Demo stopped: managers site-a, site-b, site-c stopped").contains("the ZooKeeper ensemble");
            Await.until("every server and manager of the demo to exit", Duration.ofSeconds(30), () -> under(dir),
                    List::isEmpty);
            assertThat(dir).doesNotExist();
            assertThat(aside).doesNotExist();
        } finally {
            under(dir).forEach(ProcessHandle::destroyForcibly);
            demo.close();
            if (Files.exists(dir.resolve(SandboxState.FILE))) {
                Cli.run("sandbox", "down", "--dir", dir.toString());
            }
        }
    }

    @Test
    void aBadConfigurationExitsWithTwoAndNamesFileLineAndKey() throws Exception {
        Path cfg = work.resolve("bad-" + System.nanoTime() + ".yaml");
        Files.writeString(cfg, "credentials:\n  user: w\nclusters:\n  main:\n    servers:\n      - host: db1\n        prot: 3306\n");
        Cli.Run run = WardenProcess.run(work, COMMAND_TIMEOUT, "status", "-c", cfg.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).contains(cfg + ":7: clusters.main.servers[0].prot: unknown key; did you mean 'port'?")
                .contains("clusters.main.servers[0].port: is required");
    }

    static String get(HttpClient client, String url, String authorization) {
        try {
            return client.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", authorization).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static int count(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    /** A sandbox of three servers from {@code port} in a new directory under the work dir, with its console port. */
    private Path upSandbox(String prefix, int port) throws Exception {
        Path dir = work.resolve(prefix + System.nanoTime());
        Cli.Run up = WardenProcess.run(work, COMMAND_TIMEOUT, "sandbox", "up", "--dir", dir.toString(),
                "--base-port", Integer.toString(port), "--http-port", Integer.toString(Ports.freeBlock(1)));
        assertThat(up.exitCode()).as(up.toString()).isZero();
        return dir;
    }

    @Test
    void theDaemonLogsEveryCycleAtDebugAndOnlyWhatChangedAtInfo() throws Exception {
        int port = Ports.freeBlock(3);
        Path dir = upSandbox("run-", port);
        try (WardenProcess run = WardenProcess.start(work, "run", "-c", dir.resolve("warden.yaml").toString())) {
            String steady = "cluster sandbox: primary 127.0.0.1:" + port + " writable";
            String log = Await.until("the console and five cycles logged", Duration.ofSeconds(30), run::output,
                    out -> (out.contains("Console on http://127.0.0.1:") && count(out, "DEBUG " + steady) >= 5)
                            || !run.isAlive());
            assertThat(count(log, "DEBUG " + steady)).as(log).isGreaterThanOrEqualTo(5);
            assertThat(log).contains("2/2 replicas replicating").contains("Console on http://127.0.0.1:");
            assertThat(count(log, "INFO  First look at " + steady)).as(log).isEqualTo(1);
            assertThat(count(log, "INFO  Now ")).as("a steady cluster's state is not repeated at INFO: " + log)
                    .isZero();
        } finally {
            Cli.run("sandbox", "down", "--dir", dir.toString());
        }
    }

    @Test
    void jsonLinesNameTheClusterFindingAndServerOfAFindingRaisedAndCleared() throws Exception {
        int port = Ports.freeBlock(3);
        Path dir = upSandbox("json-", port);
        Path yaml = dir.resolve("warden.yaml");
        Files.writeString(yaml, Files.readString(yaml) + "logging:\n  format: json\n");
        String replica = "127.0.0.1:" + (port + 1);
        try (WardenProcess run = WardenProcess.start(work, "run", "-c", yaml.toString())) {
            Await.until("a first look logged", Duration.ofSeconds(30), run::output,
                    out -> out.contains("First look at cluster sandbox") || !run.isAlive());
            rootOn(port + 1, "STOP SLAVE IO_THREAD");
            String raisedLog = Await.until("ReplicationStopped raised", Duration.ofSeconds(60), run::output,
                    out -> out.contains("raised") && out.contains("\"finding\":\"ReplicationStopped\"")
                            || !run.isAlive());
            rootOn(port + 1, "START SLAVE IO_THREAD");
            String log = Await.until("ReplicationStopped cleared", Duration.ofSeconds(60), run::output,
                    out -> out.contains(": cleared ReplicationStopped") || !run.isAlive());
            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            List<com.fasterxml.jackson.databind.JsonNode> lines = new java.util.ArrayList<>();
            for (String l : log.split("\n")) {
                if (l.startsWith("{")) {
                    lines.add(json.readTree(l));
                }
            }
            assertThat(lines).as(log).isNotEmpty().allSatisfy(n -> assertThat(n.has("time") && n.has("level")
                    && n.has("logger") && n.has("message")).as(n.toString()).isTrue());
            List<com.fasterxml.jackson.databind.JsonNode> raised = lines.stream()
                    .filter(n -> n.path("message").asText().contains(": raised ")
                            && "ReplicationStopped".equals(n.path("finding").asText()))
                    .toList();
            assertThat(raised).as("raised once, not every cycle: " + log).hasSize(1);
            assertThat(raised.get(0).path("cluster").asText()).isEqualTo("sandbox");
            assertThat(raised.get(0).path("server").asText()).isEqualTo(replica);
            assertThat(raised.get(0).path("level").asText()).isEqualTo("INFO");
            List<com.fasterxml.jackson.databind.JsonNode> cleared = lines.stream()
                    .filter(n -> n.path("message").asText().contains(": cleared ReplicationStopped")).toList();
            assertThat(cleared).as(log).hasSize(1);
            assertThat(cleared.get(0).path("message").asText()).matches(".* after [0-9.]+(s|min|h)$");
            assertThat(raisedLog).doesNotContain("DEBUG cluster sandbox");
        } finally {
            Cli.run("sandbox", "down", "--dir", dir.toString());
        }
    }

    static void rootOn(int port, String sql) throws java.sql.SQLException {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + port
                + "/?user=root&allowPublicKeyRetrieval=true&useSSL=false"); java.sql.Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
