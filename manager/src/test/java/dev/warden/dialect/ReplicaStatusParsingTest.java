package dev.warden.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.model.Flavor;
import dev.warden.model.GtidPosition;
import dev.warden.model.InstanceKey;
import dev.warden.model.ReplicaStatus;
import dev.warden.model.ServerVersion;
import dev.warden.model.ThreadState;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Replica status is read by column name, under the old and the new names. */
class ReplicaStatusParsingTest {

    static final String UUID = "3e11fa47-71ca-11e1-9e33-c80aa9429562";

    @Test
    void readsOldMySqlColumnNames() {
        Map<String, String> m = new HashMap<>();
        m.put("Master_Host", "10.0.0.1");
        m.put("Master_Port", "3306");
        m.put("Slave_IO_Running", "Connecting");
        m.put("Slave_SQL_Running", "Yes");
        m.put("Last_IO_Errno", "2003");
        m.put("Last_IO_Error", "error connecting to master");
        m.put("Last_SQL_Errno", "0");
        m.put("Last_SQL_Error", "");
        m.put("Seconds_Behind_Master", null);
        m.put("Master_UUID", UUID.toUpperCase());
        m.put("Master_Server_Id", "7");
        m.put("Retrieved_Gtid_Set", UUID + ":1-10");
        m.put("Executed_Gtid_Set", UUID + ":1-8,\n" + "8a94f357-aab4-11df-86ab-c80aa9429563:1");
        m.put("Auto_Position", "1");
        m.put("Master_Log_File", "binlog.000003");
        m.put("Read_Master_Log_Pos", "1234");
        m.put("Channel_Name", "");
        ReplicaStatus r = parse(ServerVersion.of(Flavor.MYSQL, 8, 0, 15), m, null);
        assertThat(r.source()).isEqualTo(new InstanceKey("10.0.0.1", 3306));
        assertThat(r.ioThread()).isEqualTo(ThreadState.CONNECTING);
        assertThat(r.sqlThread()).isEqualTo(ThreadState.RUNNING);
        assertThat(r.ioError().errno()).isEqualTo(2003);
        assertThat(r.sqlError()).isNull();
        assertThat(r.secondsBehindSource()).isNull();
        assertThat(r.sourceUuid()).isEqualTo(UUID);
        assertThat(r.sourceServerId()).isEqualTo(7);
        assertThat(r.retrieved().toString()).isEqualTo(UUID + ":1-10");
        assertThat(((dev.warden.model.GtidSet) r.executed()).count()).isEqualTo(9);
        assertThat(r.autoPosition()).isTrue();
        assertThat(r.receivedCoordinates().toString()).isEqualTo("binlog.000003:1234");
    }

    @Test
    void readsNewMySqlColumnNames() {
        Map<String, String> m = new HashMap<>();
        m.put("Source_Host", "db1");
        m.put("Source_Port", "3307");
        m.put("Replica_IO_Running", "Yes");
        m.put("Replica_SQL_Running", "No");
        m.put("Last_SQL_Errno", "1062");
        m.put("Last_SQL_Error", "Duplicate entry '1' for key 'PRIMARY'");
        m.put("Seconds_Behind_Source", "12");
        m.put("Source_UUID", UUID);
        m.put("Retrieved_Gtid_Set", "");
        m.put("Executed_Gtid_Set", "");
        m.put("Auto_Position", "0");
        m.put("Channel_Name", "");
        ReplicaStatus r = parse(ServerVersion.of(Flavor.MYSQL, 8, 4, 3), m, null);
        assertThat(r.source()).isEqualTo(new InstanceKey("db1", 3307));
        assertThat(r.sqlBroken()).isTrue();
        assertThat(r.sqlError().errno()).isEqualTo(1062);
        assertThat(r.secondsBehindSource()).isEqualTo(12L);
        assertThat(r.autoPosition()).isFalse();
        assertThat(r.bothThreadsRunning()).isFalse();
    }

    @Test
    void readsMariaDbAllReplicasStatus() {
        Map<String, String> m = new HashMap<>();
        m.put("Connection_name", "");
        m.put("Master_Host", "127.0.0.1");
        m.put("Master_Port", "23306");
        m.put("Slave_IO_Running", "Yes");
        m.put("Slave_SQL_Running", "Yes");
        m.put("Using_Gtid", "Slave_Pos");
        m.put("Gtid_IO_Pos", "0-1000-55");
        m.put("Gtid_Slave_Pos", "0-1000-54");
        m.put("Slave_received_heartbeats", "17");
        m.put("Slave_heartbeat_period", "0.500");
        ReplicaStatus r = parse(ServerVersion.parse("10.11.19-MariaDB", null), m, null);
        assertThat(r.autoPosition()).isTrue();
        assertThat(r.retrieved().toString()).isEqualTo("0-1000-55");
        assertThat(r.executed().toString()).isEqualTo("0-1000-54");
        assertThat(r.receiver().heartbeatsReceived()).isEqualTo(17);
        assertThat(r.receiver().heartbeatPeriod()).isEqualTo(Duration.ofMillis(500));
        assertThat(r.sourceUuid()).isNull();
    }

    @Test
    void anUnconfiguredSourceIsNoSource() {
        Map<String, String> m = new HashMap<>();
        m.put("Master_Host", "");
        m.put("Master_Port", "3306");
        m.put("Slave_IO_Running", "No");
        m.put("Slave_SQL_Running", "No");
        ReplicaStatus r = parse(ServerVersion.of(Flavor.MYSQL, 8, 0, 15), m, null);
        assertThat(r.source()).isNull();
        assertThat(r.ioThread()).isEqualTo(ThreadState.STOPPED);
    }

    private static ReplicaStatus parse(ServerVersion v, Map<String, String> columns, GtidPosition applied) {
        Dialect d = Dialects.forVersion(v);
        List<ReplicaStatus> out = d.parseReplicaStatus(List.of(Row.of(columns)),
                applied == null ? GtidPosition.empty(v.flavor()) : applied);
        assertThat(out).hasSize(1);
        return out.get(0);
    }
}
