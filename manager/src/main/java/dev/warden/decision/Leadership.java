package dev.warden.decision;

/**
 * Whether this manager may act on a cluster, as coordination says.
 *
 * @param leads   this manager leads the cluster and its epoch is raised: it may act
 * @param epoch   the epoch of this manager's leadership when it leads; else the last epoch seen (0 alone)
 * @param leader  who leads the cluster, as last seen (null when unknown or nobody)
 * @param problem why nobody acts (coordination is down or this manager is cut off from it), or null
 */
public record Leadership(boolean leads, long epoch, String leader, String problem) {

    /** A manager alone always leads. */
    public static final Leadership ALONE = new Leadership(true, 0, null, null);

    /** Why this manager must not act now, or null when it may. */
    public String whyNotActing(String cluster) {
        if (problem != null) {
            return "coordination is down (" + problem + "): no manager acts on cluster " + cluster
                    + " until it is back";
        }
        if (leads) {
            return null;
        }
        return leader == null ? "no manager leads cluster " + cluster + " yet (an election is under way)"
                : leader + " leads cluster " + cluster + "; this manager watches and votes";
    }
}
