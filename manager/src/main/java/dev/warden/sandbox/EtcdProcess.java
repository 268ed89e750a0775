package dev.warden.sandbox;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real single-member etcd (Debian package etcd-server) with its own data directory under {@code dir} and two
 * free ports on 127.0.0.1 (client, peer); never the packaged service. Stopped on close.
 */
public final class EtcdProcess implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/bin/etcd");

    private final Process process;
    private final Path dir;
    public final int clientPort;

    private EtcdProcess(Process process, Path dir, int clientPort) {
        this.process = process;
        this.dir = dir;
        this.clientPort = clientPort;
    }

    public static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    public static EtcdProcess start(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        int base = Ports.freeBlock(2);
        String client = "http://127.0.0.1:" + base;
        String peer = "http://127.0.0.1:" + (base + 1);
        Process p = new ProcessBuilder(BINARY.toString(), "--name", "warden-test", "--data-dir",
                dir.resolve("data").toString(), "--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer, "--initial-cluster",
                "warden-test=" + peer, "--initial-cluster-state", "new", "--log-level", "warn")
                .redirectErrorStream(true).redirectOutput(dir.resolve("etcd.log").toFile()).start();
        EtcdProcess e = new EtcdProcess(p, dir, base);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < end) {
            if (!p.isAlive()) {
                throw new IllegalStateException("etcd exited: " + Files.readString(dir.resolve("etcd.log")));
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(client + "/health"))
                        .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("true")) {
                    return e;
                }
            } catch (IOException ex) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        e.close();
        throw new IllegalStateException("etcd did not answer on " + client + " within 30 s");
    }

    public String endpoint() {
        return "http://127.0.0.1:" + clientPort;
    }

    /** Stops it as a crash would (SIGKILL), for tests of a store that is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
