package dev.warden.proxy;

import dev.warden.config.HaproxyConfig;
import dev.warden.model.HookEvent;
import dev.warden.model.InstanceKey;
import dev.warden.topology.Topology;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one HAProxy in step with one cluster: applies what {@link PoolPlanner} says, and reports replicas leaving
 * and joining the reader pool. Also points the writer backend at a new primary on demand (failover, switchover).
 */
public final class HaproxySync {

    private static final Logger log = LoggerFactory.getLogger(HaproxySync.class);

    private final HaproxyConfig config;
    private final HaproxyClient client;
    private final BiConsumer<HookEvent, PoolChange> events;
    private String lastError;
    private final java.util.concurrent.atomic.AtomicLong routings = new java.util.concurrent.atomic.AtomicLong();

    public HaproxySync(HaproxyConfig config, BiConsumer<HookEvent, PoolChange> events) {
        this.config = config;
        this.client = new HaproxyClient(config.socket(), Duration.ofSeconds(2));
        this.events = events;
    }

    public HaproxyConfig config() {
        return config;
    }

    /** How many times writers were routed (a failover's or switchover's step); a sync reads it before observing. */
    public long routings() {
        return routings.get();
    }

    /** One cycle: read HAProxy's state, apply the changes the topology calls for. Errors are logged once. */
    public List<PoolChange> sync(Topology t) {
        return sync(t, routings.get());
    }

    /**
     * As {@link #sync(Topology)}, unless writers were routed since {@code routingsBefore} was read (the topology
     * was observed before the primary moved: applying it could undo the move).
     */
    public synchronized List<PoolChange> sync(Topology t, long routingsBefore) {
        if (routings.get() != routingsBefore) {
            return List.of();
        }
        try {
            List<HaproxyClient.ServerState> writer = client.serversState(config.writerBackend());
            List<HaproxyClient.ServerState> reader = config.readerBackend() == null ? List.of()
                    : client.serversState(config.readerBackend());
            List<PoolChange> changes = PoolPlanner.changes(t, config, writer, reader);
            for (PoolChange c : changes) {
                apply(c);
                if (config.readerBackend() != null && c.backend().equals(config.readerBackend())) {
                    events.accept(c.ready() ? HookEvent.REPLICA_INTO_POOL : HookEvent.REPLICA_OUT_OF_POOL, c);
                }
            }
            if (lastError != null) {
                log.info("HAProxy at {} answers again.", client.socket());
                lastError = null;
            }
            return changes;
        } catch (IOException | RuntimeException e) {
            String msg = e.getMessage();
            if (!msg.equals(lastError)) {
                log.warn("HAProxy at {} for cluster {}: {}", client.socket(), config.cluster(), msg);
                lastError = msg;
            }
            return List.of();
        }
    }

    private void apply(PoolChange c) throws IOException {
        for (String cmd : c.commands()) {
            client.command(cmd);
        }
        log.info("HAProxy {}/{} ({}) {}: {}.", c.backend(), c.slot(), c.server(), c.ready() ? "ready" : "in maintenance",
                c.reason());
    }

    /**
     * Makes {@code primary} the only ready server of the writer backend and closes the sessions still open to the
     * others, so clients reconnect to the new primary. Returns what was done.
     */
    public synchronized String routeWriters(InstanceKey primary, Topology t) throws IOException {
        routings.incrementAndGet();
        List<HaproxyClient.ServerState> writer = client.serversState(config.writerBackend());
        String target = null;
        List<String> others = new ArrayList<>();
        for (HaproxyClient.ServerState s : writer) {
            InstanceKey k = t == null ? s.address() : t.canonical(s.address());
            if (k.equals(primary) || s.address().equals(primary)) {
                target = s.name();
            } else {
                others.add(s.name());
            }
        }
        if (target == null) {
            throw new IOException("backend " + config.writerBackend() + " has no server for " + primary
                    + "; add one to the HAProxy configuration");
        }
        client.command("set server " + config.writerBackend() + "/" + target + " state ready");
        for (String o : others) {
            client.command("set server " + config.writerBackend() + "/" + o + " state maint");
            client.command("shutdown sessions server " + config.writerBackend() + "/" + o);
        }
        return "HAProxy " + config.writerBackend() + " routes writes to " + target + " (" + primary + ")";
    }
}
