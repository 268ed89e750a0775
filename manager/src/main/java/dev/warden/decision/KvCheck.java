package dev.warden.decision;

/**
 * What one cycle's check of one key-value store found for the cluster's primary key.
 *
 * @param showed   the {@code host:port} it held (null when absent or unread)
 * @param repaired it held something else and was rewritten to the primary
 * @param problem  why it could not be read or rewritten, or null
 */
public record KvCheck(String store, String key, String primary, String showed, boolean repaired, String problem) {

    public boolean clean() {
        return !repaired && problem == null;
    }
}
