package dev.warden.kv;

import dev.warden.model.InstanceKey;
import java.io.IOException;

/** One key-value store a cluster's primary is published to (in {@link KvLayout}'s keys). */
public interface KvStore extends AutoCloseable {

    /** "zookeeper 127.0.0.1:2181", "etcd http://127.0.0.1:2379": for records and logs. */
    String name();

    /** What the store holds for {@code cluster} now. */
    Reading read(String cluster) throws IOException;

    /**
     * Writes every key for {@code primary} at once, only if the epoch the store holds is not newer than {@code epoch}
     * and nobody wrote between the read of it and the write (a compare-and-set on the epoch key's version).
     *
     * @throws StaleEpoch when the store holds a newer epoch: a newer leadership published, this manager must not
     */
    void publish(String cluster, InstanceKey primary, long epoch) throws IOException;

    /**
     * As {@link #publish}, for a failover an operator forced without coordination: whatever epoch the store holds,
     * the keys are written (still in one compare-and-set), keeping the held epoch so that later leaders may write.
     */
    void publishOverridingEpoch(String cluster, InstanceKey primary) throws IOException;

    @Override
    void close();

    /**
     * @param primary  the {@code host:port} the cluster's key holds, null when absent
     * @param hostname the {@code /hostname} key, null when absent
     * @param port     the {@code /port} key, null when absent
     */
    record Reading(String primary, long epoch, String hostname, String port) {

        public Reading(String primary, long epoch) {
            this(primary, epoch, null, null);
        }

        /** Every key names {@code k}. */
        public boolean names(InstanceKey k) {
            return k.toString().equals(primary) && k.host().equals(hostname) && Integer.toString(k.port()).equals(port);
        }
    }

    /** The store holds a newer epoch than the writer's. */
    final class StaleEpoch extends IOException {
        public StaleEpoch(String message) {
            super(message);
        }
    }

    /** How many times a write is tried when another writer got in between the read and the write. */
    int ATTEMPTS = 3;
}
