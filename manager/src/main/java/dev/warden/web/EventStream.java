package dev.warden.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.actions.Operation;
import dev.warden.engine.ClusterMonitor;
import dev.warden.engine.Monitor;
import dev.warden.engine.MonitorListener;
import io.javalin.http.sse.SseClient;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/stream}: server-sent events. On connect, {@code hello} and the latest {@code cluster} of each
 * cluster; then a {@code cluster} event after every cycle and an {@code operation} event at every step of every
 * operation; a comment every 15 s keeps proxies from closing an idle stream. Events go out from one thread, so a
 * cycle never waits for a slow browser.
 */
final class EventStream implements MonitorListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EventStream.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Monitor monitor;
    private final Set<SseClient> clients = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "event-stream");
        t.setDaemon(true);
        return t;
    });

    EventStream(Monitor monitor) {
        this.monitor = monitor;
        sender.scheduleAtFixedRate(() -> broadcastComment("keepalive"), 15, 15, TimeUnit.SECONDS);
    }

    void connect(SseClient client) {
        client.keepAlive();
        client.onClose(() -> clients.remove(client));
        sender.execute(() -> {
            try {
                client.sendEvent("hello", json(Map.of("clusters", monitor.clusters().stream().map(ClusterMonitor::name)
                        .toList(), "user", Access.principal(client.ctx()).name())));
                for (ClusterMonitor c : monitor.clusters()) {
                    c.latest().ifPresent(cycle -> client.sendEvent("cluster", json(ClusterJson.of(c, cycle))));
                }
                clients.add(client);
            } catch (RuntimeException e) {
                client.close();
            }
        });
    }

    int clients() {
        return clients.size();
    }

    @Override
    public void cycled(ClusterMonitor cluster, ClusterMonitor.Cycle cycle) {
        if (!clients.isEmpty()) {
            String data = json(ClusterJson.of(cluster, cycle));
            sender.execute(() -> broadcast("cluster", data));
        }
    }

    @Override
    public void operationChanged(Operation op) {
        if (!clients.isEmpty()) {
            String data = json(OperationJson.of(op));
            sender.execute(() -> broadcast("operation", data));
        }
    }

    private void broadcast(String event, String data) {
        for (SseClient c : clients) {
            try {
                if (c.terminated()) {
                    clients.remove(c);
                } else {
                    c.sendEvent(event, data);
                }
            } catch (RuntimeException e) {
                clients.remove(c);
                log.debug("Dropped a stream client: {}", e.toString());
            }
        }
    }

    private void broadcastComment(String comment) {
        for (SseClient c : clients) {
            try {
                c.sendComment(comment);
            } catch (RuntimeException e) {
                clients.remove(c);
            }
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        sender.shutdownNow();
        clients.forEach(SseClient::close);
        clients.clear();
    }
}
