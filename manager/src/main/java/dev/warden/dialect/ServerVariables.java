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
 */
public record ServerVariables(ServerVersion version, long serverId, String serverUuid, ReadOnlyState readOnly,
                              ReplicationSettings settings, GtidPosition gtidExecuted, GtidPosition replicaApplied,
                              MariaDbBinlogState binlogState) {
}
