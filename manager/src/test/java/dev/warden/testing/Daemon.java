package dev.warden.testing;

import dev.warden.actions.PausePoint;
import dev.warden.sandbox.Ports;
import dev.warden.sandbox.Sandbox;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code warden run} on a sandbox in its own JVM, as in production: started, paused, killed -9, started again. */
public final class Daemon implements AutoCloseable {

    private static final Pattern PAUSED = Pattern.compile(PausePoint.MARKER + " (\\S+) (\\S+)");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public final Sandbox sandbox;
    public final Path config;
    public final Path store;
    public final int httpPort;
    private WardenProcess process;

    /** A configuration of the sandbox with its own API port and a new, empty store file. */
    public Daemon(Sandbox sandbox) throws IOException {
        this.sandbox = sandbox;
        this.httpPort = Ports.freeBlock(1);
        String name = "daemon-" + System.nanoTime();
        this.store = sandbox.spec().dir().resolve(name + ".db");
        String yaml = Files.readString(sandbox.configFile())
                .replaceAll("listen: 127\\.0\\.0\\.1:\\d+", "listen: 127.0.0.1:" + httpPort)
                .replaceAll("path: warden\\.db[^\\n]*", "path: " + store.getFileName());
        this.config = sandbox.spec().dir().resolve(name + ".yaml");
        Files.writeString(config, yaml);
    }

    /** Another daemon with the same configuration (and so the same store and API port). */
    public Daemon(Daemon same) {
        this.sandbox = same.sandbox;
        this.httpPort = same.httpPort;
        this.store = same.store;
        this.config = same.config;
    }

    /** Starts the daemon; with {@code pauseAt}, its first operation blocks there. */
    public Daemon start(String pauseAt) throws IOException {
        List<String> jvm = pauseAt == null ? List.of() : List.of("-Dwarden.test.pause-at=" + pauseAt);
        process = WardenProcess.start(sandbox.spec().dir(), jvm, "run", "-c", config.toString());
        return this;
    }

    /** Starts the daemon with these JVM options (test pause points, say). */
    public Daemon startWith(List<String> jvmOptions) throws IOException {
        process = WardenProcess.start(sandbox.spec().dir(), jvmOptions, "run", "-c", config.toString());
        return this;
    }

    /** Starts the daemon inside the cgroup of {@code procs} (see {@link WardenProcess#startIn}). */
    public Daemon startIn(Path procs, List<String> jvmOptions) throws IOException {
        process = WardenProcess.startIn(sandbox.spec().dir(), procs, jvmOptions, "run", "-c", config.toString());
        return this;
    }

    /** Waits for a cycle that sees the whole cluster healthy, and for the API to answer. */
    public void awaitHealthy() {
        awaitHealthyCycle();
        Await.until("the daemon's API", Duration.ofSeconds(20), () -> {
            try {
                return get("/healthz").statusCode();
            } catch (IOException e) {
                return 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
        }, code -> code == 200);
    }

    private void awaitHealthyCycle() {
        Await.until("the daemon to see " + sandbox.replicas().size() + " healthy replicas", Duration.ofSeconds(30),
                this::output, o -> {
                    if (!process.isAlive()) {
                        throw new AssertionError("the daemon exited:\n" + o);
                    }
                    return o.contains(sandbox.replicas().size() + "/" + sandbox.replicas().size()
                            + " replicas replicating, max lag");
                });
    }

    /** Waits for the pause point; returns the operation id paused there. */
    public String awaitPaused(String point) {
        String out = Await.until("the daemon to pause at " + point, Duration.ofSeconds(40), this::output,
                o -> PAUSED.matcher(o).find() || !process.isAlive());
        Matcher m = PAUSED.matcher(out);
        if (!m.find()) {
            throw new AssertionError("the daemon exited before pausing at " + point + ":\n" + out);
        }
        if (!m.group(1).equals(point)) {
            throw new AssertionError("paused at " + m.group(1) + ", not " + point);
        }
        return m.group(2);
    }

    /** kill -9. */
    public void crash() throws InterruptedException {
        process.killHard();
    }

    public String output() {
        return process == null ? "" : process.output();
    }

    public WardenProcess process() {
        return process;
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .header("Authorization", SandboxToken.header(sandbox.spec().dir()))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .header("content-type", "application/json")
                .header("Authorization", SandboxToken.header(sandbox.spec().dir()))
                .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Sends a request without waiting for its answer (it may never come: the daemon is killed meanwhile). */
    public void postAndForget(String path, String body) {
        HTTP.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .header("content-type", "application/json")
                .header("Authorization", SandboxToken.header(sandbox.spec().dir())).POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            process.close();
        }
    }
}
