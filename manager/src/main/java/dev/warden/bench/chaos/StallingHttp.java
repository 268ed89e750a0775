package dev.warden.bench.chaos;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A webhook receiver that answers its headers, promises a body and never sends it: a stalled hook. */
final class StallingHttp implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService threads;

    StallingHttp() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "stalling-hook");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        server.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(200, 100);
            ex.getResponseBody().flush();
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/stall";
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
