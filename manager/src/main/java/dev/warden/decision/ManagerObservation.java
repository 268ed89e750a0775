package dev.warden.decision;

/**
 * What one manager saw of a cluster's primary in one cycle, as it publishes it to the others. Compact: the
 * others judge its freshness on their own clocks.
 *
 * @param cycle        the publisher's cycle number (a reader measures age from when it last changed)
 * @param primary      the primary it watches ({@code host:port}), or null when it knows none
 * @param reach        how it reaches that primary
 * @param confirmsGone its own findings (before the managers' quorum) say the primary is gone
 * @param saw          a few words for people: "unreachable for 1.2 s; 2/2 replicas confirm"
 */
public record ManagerObservation(String manager, long cycle, String primary, Reach reach, boolean confirmsGone,
                                 String saw) {

    public enum Reach {
        /** Answers and its heartbeat writes commit. */
        HEALTHY,
        /** Answers, but its heartbeat write times out. */
        NOT_WRITING,
        /** Does not answer. */
        UNREACHABLE,
        /** Knows no primary. */
        NONE
    }

    /** This cycle's observation of the cluster, from this manager's view and its own findings. */
    public static ManagerObservation of(String manager, long cycle, ClusterView view, java.util.List<Finding> own) {
        var p = view.topology().primary();
        if (p.isEmpty()) {
            return new ManagerObservation(manager, cycle, null, Reach.NONE, false, "knows no primary");
        }
        var key = p.get().key();
        ServerHistory h = view.history().of(key);
        boolean stuck = h != null && h.writeStuckSince() != null;
        Reach reach = !p.get().snapshot().reachable() ? Reach.UNREACHABLE : stuck ? Reach.NOT_WRITING : Reach.HEALTHY;
        java.util.Optional<Finding> gone = own.stream().filter(f -> f.code().primaryGone() && key.equals(f.server()))
                .findFirst();
        boolean confirms = gone.isPresent() && !gone.get().pending();
        String saw = gone.map(Finding::detail).orElse(switch (reach) {
            case HEALTHY -> "answers, its writes commit";
            case NOT_WRITING -> "answers, its heartbeat write times out";
            case UNREACHABLE -> "unreachable, not confirmed yet";
            case NONE -> "knows no primary";
        });
        return new ManagerObservation(manager, cycle, key.toString(), reach, confirms, saw);
    }
}
