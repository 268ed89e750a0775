package dev.warden.actions;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** Recent operations, in memory, newest last (persistence is the store's job). Thread-safe, bounded. */
public final class OperationLog {

    private static final int MAX = 500;
    private final Deque<Operation> operations = new ArrayDeque<>();
    private final AtomicLong sequence = new AtomicLong();

    public String nextId(String cluster, java.time.Instant now) {
        return "op-" + java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                .withZone(java.time.ZoneOffset.UTC).format(now) + "-" + cluster + "-" + sequence.incrementAndGet();
    }

    public synchronized void add(Operation op) {
        operations.addLast(op);
        while (operations.size() > MAX) {
            operations.removeFirst();
        }
    }

    public synchronized List<Operation> all() {
        return List.copyOf(operations);
    }

    public synchronized Optional<Operation> byId(String id) {
        return operations.stream().filter(o -> o.id().equals(id)).findFirst();
    }

    public synchronized List<Operation> forCluster(String cluster) {
        return operations.stream().filter(o -> o.plan().cluster().equals(cluster)).toList();
    }
}
