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
                "log-slave-updates = ON",
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
}
