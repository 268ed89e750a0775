package dev.warden.model;

/**
 * Binlog and GTID settings that decide whether a server can be promoted or re-pointed.
 *
 * @param gtidMode MySQL {@code gtid_mode} (ON, OFF, ...); "n/a" on MariaDB, where GTIDs are always on
 */
public record ReplicationSettings(boolean binlogEnabled, String binlogFormat, boolean logReplicaUpdates,
                                  String gtidMode, boolean enforceGtidConsistency, boolean gtidStrictMode) {

    /** GTID auto-positioning is usable: MySQL gtid_mode=ON with consistency enforced, or any MariaDB. */
    public boolean gtidUsable(Flavor flavor) {
        return flavor == Flavor.MARIADB || ("ON".equalsIgnoreCase(gtidMode) && enforceGtidConsistency);
    }
}
