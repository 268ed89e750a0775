package dev.warden.dialect;

import dev.warden.model.GtidPosition;
import dev.warden.model.MariaDbBinlogState;
import dev.warden.model.ReadOnlyState;
import dev.warden.model.ReplicationSettings;
import dev.warden.model.ServerVersion;

/**
 * The global variables a probe reads in one query.
 *
 * @param gtidExecuted  MySQL gtid_executed, MariaDB gtid_current_pos
 * @param replicaApplied MariaDB gtid_slave_pos (what the SQL thread applied); for MySQL same as gtidExecuted
 * @param binlogState    MariaDB gtid_binlog_state; empty for MySQL
 * @param reportedAddress report_host:report_port, null when report_host is empty
 */
public record ServerVariables(ServerVersion version, long serverId, String serverUuid, ReadOnlyState readOnly,
                              ReplicationSettings settings, GtidPosition gtidExecuted, GtidPosition replicaApplied,
                              MariaDbBinlogState binlogState, dev.warden.model.InstanceKey reportedAddress) {

    /** The address in {@code report_host} / {@code report_port}, or null (no host, or a port of 0 with none known). */
    static dev.warden.model.InstanceKey reported(String host, long port) {
        if (host == null || host.isBlank() || port <= 0 || port > 65535) {
            return null;
        }
        return new dev.warden.model.InstanceKey(host.trim(), (int) port);
    }
}
