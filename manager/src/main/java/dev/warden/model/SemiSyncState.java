package dev.warden.model;

/**
 * Semi-synchronous replication as a server reports it. {@code available} is false when the plugin is not
 * loaded (MySQL builds without it, such as the 8.0.15 test tarball); MariaDB has it built in.
 */
public record SemiSyncState(boolean available, boolean sourceEnabled, boolean sourceActive, int sourceClients,
                            boolean replicaEnabled, boolean replicaActive) {

    public static final SemiSyncState NOT_AVAILABLE = new SemiSyncState(false, false, false, 0, false, false);

    public String summary() {
        if (!available) return "n/a";
        if (sourceEnabled) return sourceActive ? "source on (" + sourceClients + " acks)" : "source enabled, inactive";
        if (replicaEnabled) return replicaActive ? "replica on" : "replica enabled, inactive";
        return "off";
    }
}
