package dev.warden.topology;

/** A server's place in the replication tree, as derived from what every server reports. */
public enum Role {
    /** Replicates from nobody and has replicas (or is the only writable server). */
    PRIMARY,
    /** Replicates from a source and has replicas of its own. */
    INTERMEDIATE,
    REPLICA,
    /** Reachable, replicates from nobody, has no replicas and is read-only: outside the topology. */
    STANDALONE,
    /** Unreachable and nobody replicates from it: its role cannot be told. */
    UNKNOWN;

    public String display() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
