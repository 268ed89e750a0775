package dev.warden.dialect;

import dev.warden.model.BinlogCoordinates;
import dev.warden.model.Flavor;
import dev.warden.model.GtidPosition;
import dev.warden.model.InstanceKey;
import dev.warden.model.ReceiverStatus;
import dev.warden.model.ReplicaStatus;
import dev.warden.model.ReplicationError;
import dev.warden.model.ThreadState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads replica status rows by column name. Every column is looked up under its new name
 * ({@code Source_*}, {@code Replica_*}) and its old one ({@code Master_*}, {@code Slave_*}), because MySQL
 * renamed them in 8.0.22 and MariaDB still uses the old ones.
 */
final class ReplicaStatusParser {

    private ReplicaStatusParser() {
    }

    static List<ReplicaStatus> parse(Flavor flavor, List<Row> rows, GtidPosition replicaApplied) {
        List<ReplicaStatus> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            out.add(parseRow(flavor, r, replicaApplied));
        }
        return List.copyOf(out);
    }

    private static ReplicaStatus parseRow(Flavor flavor, Row r, GtidPosition replicaApplied) {
        String host = r.get("Source_Host", "Master_Host");
        long port = r.getLong(0, "Source_Port", "Master_Port");
        InstanceKey source = host == null || host.isBlank() || port <= 0 || port > 65535
                ? null : new InstanceKey(host, (int) port);

        GtidPosition retrieved;
        GtidPosition executed;
        boolean autoPosition;
        if (flavor == Flavor.MARIADB) {
            retrieved = GtidPosition.parse(flavor, r.get("Gtid_IO_Pos"));
            String slavePos = r.get("Gtid_Slave_Pos");
            executed = slavePos != null ? GtidPosition.parse(flavor, slavePos) : replicaApplied;
            String usingGtid = r.getOrEmpty("Using_Gtid");
            autoPosition = usingGtid.equalsIgnoreCase("Slave_Pos") || usingGtid.equalsIgnoreCase("Current_Pos");
        } else {
            retrieved = GtidPosition.parse(flavor, r.get("Retrieved_Gtid_Set"));
            executed = GtidPosition.parse(flavor, r.get("Executed_Gtid_Set"));
            autoPosition = r.getFlag("Auto_Position");
        }

        String uuid = r.get("Source_UUID", "Master_UUID");
        ReceiverStatus receiver = ReceiverStatus.UNKNOWN;
        if (r.has("Slave_received_heartbeats") || r.has("Slave_heartbeat_period")) {
            String period = r.get("Slave_heartbeat_period");
            receiver = new ReceiverStatus(null, null, r.getLong(-1, "Slave_received_heartbeats"),
                    period == null ? null : secondsToDuration(period), null);
        }
        return new ReplicaStatus(
                r.getOrEmpty("Channel_Name", "Connection_name"),
                source,
                uuid == null || uuid.isBlank() ? null : uuid.toLowerCase(java.util.Locale.ROOT),
                r.getLong(0, "Source_Server_Id", "Master_Server_Id"),
                ThreadState.parse(r.get("Replica_IO_Running", "Slave_IO_Running")),
                ThreadState.parse(r.get("Replica_SQL_Running", "Slave_SQL_Running")),
                r.getOrEmpty("Replica_IO_State", "Slave_IO_State"),
                ReplicationError.orNull((int) r.getLong(0, "Last_IO_Errno"), r.get("Last_IO_Error"),
                        r.get("Last_IO_Error_Timestamp")),
                ReplicationError.orNull((int) r.getLong(0, "Last_SQL_Errno"), r.get("Last_SQL_Error"),
                        r.get("Last_SQL_Error_Timestamp")),
                r.getLongOrNull("Seconds_Behind_Source", "Seconds_Behind_Master"),
                retrieved,
                executed,
                autoPosition,
                r.getLong(0, "SQL_Delay"),
                BinlogCoordinates.orNull(r.get("Source_Log_File", "Master_Log_File"),
                        r.getLong(0, "Read_Source_Log_Pos", "Read_Master_Log_Pos")),
                BinlogCoordinates.orNull(r.get("Relay_Source_Log_File", "Relay_Master_Log_File"),
                        r.getLong(0, "Exec_Source_Log_Pos", "Exec_Master_Log_Pos")),
                receiver,
                filters(r));
    }

    /** Columns that filter what a replica applies; any value in one means it may lack some of its source's data. */
    static final List<String> FILTER_COLUMNS = List.of("Replicate_Do_DB", "Replicate_Ignore_DB", "Replicate_Do_Table",
            "Replicate_Ignore_Table", "Replicate_Wild_Do_Table", "Replicate_Wild_Ignore_Table", "Replicate_Rewrite_DB",
            "Replicate_Ignore_Server_Ids");

    private static List<String> filters(Row r) {
        List<String> out = new ArrayList<>();
        for (String column : FILTER_COLUMNS) {
            String v = r.get(column);
            if (v != null && !v.isBlank()) {
                out.add(column + "=" + v.trim());
            }
        }
        return out;
    }

    static Duration secondsToDuration(String text) {
        try {
            return Duration.ofNanos(Math.round(Double.parseDouble(text.trim()) * 1e9));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Microseconds as returned by TIMESTAMPDIFF(MICROSECOND, ...); null stays null. */
    static Duration micros(Long us) {
        return us == null || us < 0 ? null : Duration.ofNanos(us * 1000);
    }
}
