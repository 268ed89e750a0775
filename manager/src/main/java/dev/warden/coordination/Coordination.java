package dev.warden.coordination;

import dev.warden.decision.Leadership;
import dev.warden.decision.ManagerObservation;
import dev.warden.decision.ManagerPeers;
import java.util.List;

/**
 * How this manager works with the others: who leads each cluster, proof of leadership before every step, and
 * what each manager sees. {@link #ALONE} when there is no {@code coordination} section: it always leads.
 */
public interface Coordination extends AutoCloseable {

    /** One cluster's place in the coordination. */
    interface Seat {
        Leadership leadership();

        /**
         * Checks in ZooKeeper, now, that this manager still leads the cluster with {@code epoch}.
         *
         * @throws NotLeading when it does not (deposed, paused past its session, cut off): it must not act
         */
        void prove(long epoch);

        /** Publishes this cycle's observation to the other managers (without waiting). */
        void publish(ManagerObservation observation);

        /** The other managers, with their last observations aged on this manager's clock. */
        ManagerPeers peers();

        /**
         * Calls {@code r} (on a coordination thread: it must only signal) whenever another manager's observation says
         * something new about the primary: which one it is, or whether it is confirmed gone.
         */
        default void onPeerVerdict(Runnable r) {
        }
    }

    /** This manager may no longer act on a cluster; what it was doing is left to the next leader. */
    final class NotLeading extends RuntimeException {
        public NotLeading(String message) {
            super(message);
        }
    }

    /** One manager as the coordination knows it (for the API and console). */
    record ManagerInfo(String name, String url, boolean up, List<String> leads, long epoch, Long observationAgeMs) {
    }

    Seat seat(String cluster);

    /** Every configured manager: whether it is up, which clusters it leads. */
    List<ManagerInfo> managers();

    /** Null alone. */
    String self();

    /**
     * Calls {@code listener} with the duration of every round trip to the coordination engine that a decision waits
     * for (leadership proofs before steps, and the periodic read of who leads); alone, never.
     */
    default void onRoundTrip(String kind, java.util.function.Consumer<java.time.Duration> listener) {
    }

    @Override
    void close();

    Coordination ALONE = new Coordination() {
        private final Seat seat = new Seat() {
            @Override
            public Leadership leadership() {
                return Leadership.ALONE;
            }

            @Override
            public void prove(long epoch) {
            }

            @Override
            public void publish(ManagerObservation observation) {
            }

            @Override
            public ManagerPeers peers() {
                return ManagerPeers.ALONE;
            }
        };

        @Override
        public Seat seat(String cluster) {
            return seat;
        }

        @Override
        public List<ManagerInfo> managers() {
            return List.of();
        }

        @Override
        public String self() {
            return null;
        }

        @Override
        public void close() {
        }
    };
}
