package dev.warden.bench;

import dev.warden.dialect.Dialect;
import dev.warden.model.ReplicaStatus;
import dev.warden.model.ThreadState;
import dev.warden.probe.Deadline;
import dev.warden.probe.Jdbc;
import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxInstance;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Independent eyes for tests and benchmarks: polls every server every 10 ms as root and timestamps what it sees
 * (writable or not, which port it replicates from, IO thread running), without asking Warden.
 */
public final class ServerObserver implements AutoCloseable {

    /**
     * One look at one server.
     *
     * @param executed what it executed (gtid_executed / gtid_current_pos), null when unreachable
     * @param received what its receiver got completely (retrieved set or Gtid_IO_Pos), null when not replicating
     */
    public record Sample(Instant at, boolean reachable, boolean writable, int sourcePort, boolean ioRunning,
                         boolean sqlRunning, String executed, String received) {
        public Sample(Instant at, boolean reachable, boolean writable, int sourcePort, boolean ioRunning) {
            this(at, reachable, writable, sourcePort, ioRunning, false, null, null);
        }
    }

    private final Sandbox sandbox;
    private final Map<String, List<Sample>> samples = new ConcurrentHashMap<>();
    private static final Duration TIMEOUT = Duration.ofMillis(200);

    private final Map<String, Connection> connections = new ConcurrentHashMap<>();
    /** Each kept connection's server dialect (read once per connection: MySQL 8.4+ knows only the REPLICA words). */
    private final Map<String, Dialect> dialects = new ConcurrentHashMap<>();
    private volatile boolean running = true;

    /** One thread per server: a server that does not answer (hung, cut off) never slows the looks at the others. */
    private final List<Thread> threads = new java.util.concurrent.CopyOnWriteArrayList<>();

    public ServerObserver(Sandbox sandbox) {
        this.sandbox = sandbox;
        for (SandboxInstance i : sandbox.instances()) {
            samples.put(i.name(), java.util.Collections.synchronizedList(new ArrayList<>()));
        }
        for (SandboxInstance i : sandbox.instances()) {
            Thread t = new Thread(() -> loop(i.name()), "observer-" + i.name());
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    private void loop(String name) {
        while (running) {
            // The current instance by name: a restarted server has a new PID, the same name and port.
            SandboxInstance i = sandbox.instance(name);
            Sample s = look(i);
            samples.get(name).add(s);
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private Sample look(SandboxInstance i) {
        Instant at = Instant.now();
        try {
            Connection c = connections.get(i.name());
            if (c == null) {
                java.util.Properties p = new java.util.Properties();
                p.setProperty("user", "root");
                p.setProperty("connectTimeout", "100");
                p.setProperty("socketTimeout", "200");
                p.setProperty("sslMode", "DISABLED");
                c = java.sql.DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + i.port() + "/", p);
                connections.put(i.name(), c);
                dialects.put(i.name(), Jdbc.dialect(c, Deadline.after(TIMEOUT)));
            }
            boolean writable;
            String executed;
            Dialect d = dialects.get(i.name());
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT @@read_only, "
                    + (d.version().isMariaDb() ? "@@gtid_current_pos" : "@@gtid_executed"))) {
                rs.next();
                writable = rs.getInt(1) == 0;
                executed = rs.getString(2);
            }
            List<ReplicaStatus> channels = Jdbc.replicaStatus(c, d, Deadline.after(TIMEOUT));
            ReplicaStatus ch = channels.isEmpty() ? null : channels.get(0);
            int sourcePort = ch == null || ch.source() == null ? 0 : ch.source().port();
            boolean io = ch != null && ch.ioThread() == ThreadState.RUNNING;
            boolean sql = ch != null && ch.sqlThread() == ThreadState.RUNNING;
            return new Sample(at, true, writable, sourcePort, io, sql, executed,
                    ch == null ? null : ch.receivedComplete().toString());
        } catch (SQLException e) {
            Connection broken = connections.remove(i.name());
            if (broken != null) {
                try {
                    broken.close();
                } catch (SQLException ignored) {
                    // broken
                }
            }
            return new Sample(at, false, false, 0, false, false, null, null);
        }
    }

    /** The port of the one server last seen writable and replicating from nobody; 0 when none or several. */
    public int writablePort() {
        int found = 0;
        for (SandboxInstance i : sandbox.instances()) {
            List<Sample> l = samples.get(i.name());
            if (l == null || l.isEmpty()) {
                continue;
            }
            Sample last = l.get(l.size() - 1);
            if (last.reachable() && last.writable() && last.sourcePort() == 0) {
                if (found != 0) {
                    return 0;
                }
                found = i.port();
            }
        }
        return found;
    }

    /** First moment after {@code from} when the server was writable and replicated from nobody. */
    public Instant writableSince(SandboxInstance i, Instant from) {
        for (Sample s : List.copyOf(samples.getOrDefault(i.name(), List.of()))) {
            if (!s.at().isBefore(from) && s.reachable() && s.writable() && s.sourcePort() == 0) {
                return s.at();
            }
        }
        return null;
    }

    /** First moment after {@code from} when the server was read-only. */
    public Instant readOnlySince(SandboxInstance i, Instant from) {
        for (Sample s : List.copyOf(samples.getOrDefault(i.name(), List.of()))) {
            if (!s.at().isBefore(from) && s.reachable() && !s.writable()) {
                return s.at();
            }
        }
        return null;
    }

    /** First moment after {@code from} when every replica replicated from {@code source} with its IO thread running. */
    public Instant allReplicatingFrom(SandboxInstance source, List<SandboxInstance> replicas, Instant from) {
        Instant latest = from;
        for (SandboxInstance r : replicas) {
            Instant first = null;
            for (Sample s : List.copyOf(samples.getOrDefault(r.name(), List.of()))) {
                if (!s.at().isBefore(from) && s.sourcePort() == source.port() && s.ioRunning()) {
                    first = s.at();
                    break;
                }
            }
            if (first == null) {
                return null;
            }
            latest = first.isAfter(latest) ? first : latest;
        }
        return latest;
    }

    /** Every look at {@code i} so far, oldest first. */
    public List<Sample> samples(SandboxInstance i) {
        return List.copyOf(samples.getOrDefault(i.name(), List.of()));
    }

    /** Whether the server was seen writable at any moment in [from, to]. */
    public boolean everWritable(SandboxInstance i, Instant from, Instant to) {
        return List.copyOf(samples.getOrDefault(i.name(), List.of())).stream().anyMatch(s -> !s.at().isBefore(from)
                && !s.at().isAfter(to) && s.reachable() && s.writable());
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.join(2000);
        }
        connections.values().forEach(c -> {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing
            }
        });
    }
}
