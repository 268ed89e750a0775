package dev.warden.check;

import dev.warden.model.Flavor;
import java.util.List;

/** What Warden's account needs per flavor; mirrors sql/grants/*.sql. */
public final class GrantRequirements {

    private GrantRequirements() {
    }

    public static List<GrantRequirement> forFlavor(Flavor flavor) {
        return flavor == Flavor.MARIADB ? MARIADB : MYSQL;
    }

    private static GrantRequirement global(String privilege, String purpose, String... alsoSatisfiedBy) {
        List<String> by = new java.util.ArrayList<>(List.of(privilege));
        by.addAll(List.of(alsoSatisfiedBy));
        return new GrantRequirement(privilege, null, List.copyOf(by), purpose);
    }

    private static GrantRequirement schema(String privilege, String schema, String purpose) {
        return new GrantRequirement(privilege, schema, List.of(privilege), purpose);
    }

    static final List<GrantRequirement> MYSQL = List.of(
            global("PROCESS", "to see client sessions, and kill them when fencing a primary"),
            global("REPLICATION CLIENT", "to read replica and binary log status", "SUPER"),
            global("REPLICATION SLAVE", "to list replicas (SHOW REPLICAS) for discovery"),
            global("RELOAD", "to RESET REPLICA ALL when promoting"),
            global("SYSTEM_VARIABLES_ADMIN", "to set read_only and super_read_only", "SUPER"),
            global("REPLICATION_SLAVE_ADMIN", "to point replicas at a source and start or stop replication", "SUPER"),
            global("CONNECTION_ADMIN", "to kill client sessions when fencing a primary", "SUPER"),
            schema("SELECT", "performance_schema", "to see what replicas last heard from their source"),
            schema("SELECT", "warden", "to read the heartbeat table (lag)"),
            schema("INSERT", "warden", "to write the heartbeat on the primary (write probe)"),
            schema("UPDATE", "warden", "to write the heartbeat on the primary (write probe)"));

    static final List<GrantRequirement> MARIADB = List.of(
            global("PROCESS", "to see client sessions, and kill them when fencing a primary"),
            global("BINLOG MONITOR", "to read binary log status", "REPLICATION CLIENT", "SUPER"),
            global("SLAVE MONITOR", "to read replica status", "REPLICA MONITOR", "SUPER"),
            global("REPLICATION MASTER ADMIN", "to list replicas (SHOW REPLICA HOSTS) for discovery", "SUPER"),
            global("REPLICATION SLAVE ADMIN", "to point replicas at a source and start or stop replication", "SUPER"),
            global("READ_ONLY ADMIN", "to set read_only"),
            global("CONNECTION ADMIN", "to kill client sessions when fencing a primary", "SUPER"),
            global("RELOAD", "to RESET REPLICA ALL when promoting"),
            schema("SELECT", "warden", "to read the heartbeat table (lag)"),
            schema("INSERT", "warden", "to write the heartbeat on the primary (write probe)"),
            schema("UPDATE", "warden", "to write the heartbeat on the primary (write probe)"));
}
