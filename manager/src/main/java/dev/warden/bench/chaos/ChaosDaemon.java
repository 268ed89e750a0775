package dev.warden.bench.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code warden run} as users run it: the real jar in a JVM of its own, started inside a cgroup of the round (so that
 * only the manager can be cut off from a server), killed with -9 and started again at any moment. The campaign reads
 * what it decided through its API (the sandbox's token).
 */
final class ChaosDaemon implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Path dir;
    private final Path config;
    private final int httpPort;
    private final String token;
    private final Path procs;
    private final List<Path> outputs = new ArrayList<>();
    private Process process;

    /**
     * @param procs the cgroup.procs file of the manager's group (null: no group, partitions of the manager unused)
     */
    ChaosDaemon(Path dir, Path config, int httpPort, String token, Path procs) {
        this.dir = dir;
        this.config = config;
        this.httpPort = httpPort;
        this.token = token;
        this.procs = procs;
    }

    /** The jar this code runs from: the daemon is the same build. */
    static Path jar() {
        try {
            Path p = Path.of(ChaosDaemon.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(p) && Files.isRegularFile(p.resolveSibling("warden.jar"))) {
                p = p.resolveSibling("warden.jar"); // target/classes (tests): the jar the same build packaged
            }
            if (!Files.isRegularFile(p)) {
                throw new IllegalStateException("the chaos campaign runs from the warden jar (java -jar warden.jar "
                        + "bench chaos), not from " + p);
            }
            return p;
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    void start() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String run = "exec " + quote(java) + " -Xmx256m -XX:+UseSerialGC -jar " + quote(jar().toString()) + " run -c "
                + quote(config.toString());
        // The shell enters the group first, so every socket the manager makes is in it.
        String cmd = procs == null ? run : "echo $$ > " + quote(procs.toString()) + " && " + run;
        Path out = dir.resolve("daemon-" + outputs.size() + ".out");
        outputs.add(out);
        process = new ProcessBuilder("sh", "-c", cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** kill -9 of the manager's JVM (the shell exec'd into it). */
    void crash() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    String output() {
        StringBuilder b = new StringBuilder();
        for (Path p : outputs) {
            try {
                b.append(Files.readString(p));
            } catch (IOException e) {
                // not written yet
            }
        }
        return b.toString();
    }

    /** GET an API path; null when the daemon does not answer (yet). */
    JsonNode get(String path) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                    .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** POST a JSON body; the answer (any status), null when the daemon does not answer. */
    JsonNode post(String path, String body, Duration timeout) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                    .header("Authorization", "Bearer " + token).header("content-type", "application/json")
                    .timeout(timeout).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(r.body().isBlank() ? "{}" : r.body());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override
    public void close() throws InterruptedException {
        crash();
    }
}
