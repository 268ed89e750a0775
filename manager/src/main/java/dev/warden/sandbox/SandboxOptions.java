package dev.warden.sandbox;

import java.util.ArrayList;
import java.util.List;

/** [mysqld] options every sandbox server gets, whatever the flavor. */
final class SandboxOptions {

    private SandboxOptions() {
    }

    static List<String> common(InstanceLayout l) {
        List<String> o = new ArrayList<>(List.of(
                "user = root",
                "datadir = " + l.dataDir(),
                "port = " + l.port(),
                "bind-address = 127.0.0.1",
                "socket = " + l.socket(),
                "pid-file = " + l.pidFile(),
                "log-error = " + l.errorLog(),
                "server-id = " + l.serverId(),
                "report-host = 127.0.0.1",
                "report-port = " + l.port(),
                "log-bin = binlog",
                "binlog-format = ROW",
                "relay-log = relay-bin",
                "sync-binlog = 1",
                "innodb-flush-log-at-trx-commit = 1",
                "innodb-buffer-pool-size = 32M",
                "max-connections = 200"));
        // Every server starts read-only, the primary too: after a restart nobody writes until Warden (or a DBA)
        // says so. The sandbox makes its primary writable once replication is set up.
        o.add("read-only = ON");
        return o;
    }

    /**
     * Common options plus MySQL's: GTIDs, super_read_only, no X plugin, a small performance_schema (replica receiver
     * status is read from it). {@code renamedVariables}: MySQL 8.0.26+ spells log_slave_updates log_replica_updates.
     */
    static List<String> mysql(InstanceLayout l, boolean renamedVariables) {
        List<String> o = common(l);
        o.addAll(List.of(
                (renamedVariables ? "log-replica-updates" : "log-slave-updates") + " = ON",
                "mysqlx = OFF",
                "super-read-only = ON",
                "gtid-mode = ON",
                "enforce-gtid-consistency = ON",
                "performance-schema = ON",
                "performance-schema-max-table-instances = 200",
                "performance-schema-max-table-handles = 200",
                "performance-schema-digests-size = 200",
                "performance-schema-max-digest-length = 256",
                "performance-schema-max-sql-text-length = 256",
                "performance-schema-events-statements-history-long-size = 100",
                "performance-schema-events-waits-history-long-size = 100",
                "performance-schema-events-stages-history-long-size = 100",
                "performance-schema-events-transactions-history-long-size = 100"));
        return o;
    }

    /** Common options plus MariaDB's: strict GTIDs in domain 0, small redo log, no performance_schema. */
    static List<String> mariadb(InstanceLayout l) {
        List<String> o = common(l);
        o.addAll(List.of(
                "log-slave-updates = ON",
                "gtid-domain-id = 0",
                "gtid-strict-mode = ON",
                "innodb-log-file-size = 8M",
                "performance-schema = OFF"));
        return o;
    }
}
