package dev.warden.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.warden.hooks.Signature;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A webhook receiver for tests: records every request (path, headers, body) and answers per path:
 * {@code /ok} 200, {@code /fail} 500, {@code /slow} after 2 s, {@code /stall-body} headers and then nothing, or a
 * registered action then 200. Checks the
 * signature the way a real receiver would.
 */
public final class HookServer implements AutoCloseable {

    /** One request as received. */
    public record Received(String path, String event, String signature, String idempotencyKey, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public boolean signedWith(String secret) {
            return Signature.verify(secret, body, signature);
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, Runnable> actions = new ConcurrentHashMap<>();

    public HookServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "hook-server");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Runs {@code action} when {@code path} is called, then answers 200. */
    public void on(String path, Runnable action) {
        actions.put(path, action);
    }

    public List<Received> received(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    private void handle(HttpExchange ex) throws IOException {
        byte[] body = ex.getRequestBody().readAllBytes();
        String path = ex.getRequestURI().getPath();
        received.add(new Received(path, ex.getRequestHeaders().getFirst("X-Warden-Event"),
                ex.getRequestHeaders().getFirst(Signature.HEADER),
                ex.getRequestHeaders().getFirst("X-Warden-Idempotency-Key"), body));
        if (path.equals("/stall-body")) {
            ex.sendResponseHeaders(200, 100); // promises 100 bytes, never sends them
            ex.getResponseBody().flush();
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        int status = 200;
        try {
            if (path.equals("/fail")) {
                status = 500;
            } else if (path.equals("/slow")) {
                Thread.sleep(2000);
            } else if (actions.containsKey(path)) {
                actions.get(path).run();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            status = 500;
        }
        byte[] answer = (status == 200 ? "ok" : "no").getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, answer.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(answer);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
