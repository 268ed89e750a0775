package dev.warden.dialect;

import dev.warden.model.ServerVersion;

/**
 * MySQL 8.0.x: the syntax depends on the exact release. REPLICA verbs from 8.0.22, CHANGE REPLICATION
 * SOURCE from 8.0.23, renamed variables from 8.0.26; SHOW MASTER STATUS throughout.
 */
public final class MySql80Dialect extends MySqlDialect {

    public MySql80Dialect(ServerVersion version) {
        super(version);
        if (version.major() != 8 || version.minor() != 0) {
            throw new IllegalArgumentException(version + " is not MySQL 8.0");
        }
    }

    @Override
    protected boolean hasReplicaVerbs() {
        return version.atLeast(8, 0, 22);
    }

    @Override
    protected boolean hasChangeReplicationSource() {
        return version.atLeast(8, 0, 23);
    }

    @Override
    protected boolean hasRenamedVariables() {
        return version.atLeast(8, 0, 26);
    }

    @Override
    protected boolean hasBinaryLogStatus() {
        return false;
    }
}
