package dev.warden.testing;

import dev.warden.model.ClusterSnapshot;
import dev.warden.model.ConnectedReplica;
import dev.warden.model.Flavor;
import dev.warden.model.GtidPosition;
import dev.warden.model.HeartbeatObservation;
import dev.warden.model.HeartbeatRow;
import dev.warden.model.InstanceKey;
import dev.warden.model.InstanceSnapshot;
import dev.warden.model.Reachability;
import dev.warden.model.ReadOnlyState;
import dev.warden.model.ReceiverStatus;
import dev.warden.model.ReplicaStatus;
import dev.warden.model.ReplicationError;
import dev.warden.model.ReplicationSettings;
import dev.warden.model.SemiSyncState;
import dev.warden.model.ServerState;
import dev.warden.model.ServerVersion;
import dev.warden.model.ThreadState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Builders for snapshots in pure tests: say only what matters to the test. */
public final class Snapshots {

    public static final Instant T0 = Instant.parse("2026-11-22T12:00:00Z");

    private Snapshots() {
    }

    public static Server server(String address) {
        return new Server(InstanceKey.parse(address));
    }

    public static InstanceSnapshot unreachable(String address, Reachability why) {
        return unreachable(address, why, T0);
    }

    public static InstanceSnapshot unreachable(String address, Reachability why, Instant at) {
        return InstanceSnapshot.unreachable(InstanceKey.parse(address), at, Duration.ofMillis(5), why, why.display());
    }

    public static ClusterSnapshot clusterAt(Instant at, InstanceSnapshot... servers) {
        return ClusterSnapshot.of("test", at, List.of(servers));
    }

    public static ClusterSnapshot cluster(InstanceSnapshot... servers) {
        return ClusterSnapshot.of("test", T0, List.of(servers));
    }

    /** A reachable server; a writable primary unless {@link #replicaOf} is called. */
    public static final class Server {
        private final InstanceKey key;
        private Flavor flavor = Flavor.MYSQL;
        private long serverId = 1;
        private ReadOnlyState readOnly = ReadOnlyState.WRITABLE;
        private String gtid = "";
        private String binlogState = "";
        private InstanceKey source;
        private ThreadState io = ThreadState.RUNNING;
        private ThreadState sql = ThreadState.RUNNING;
        private ReplicationError ioError;
        private ReplicationError sqlError;
        private Long secondsBehind = 0L;
        private boolean autoPosition = true;
        private final List<ConnectedReplica> connected = new ArrayList<>();
        private final List<HeartbeatRow> heartbeats = new ArrayList<>();
        private Instant serverNow = T0;
        private final List<String> problems = new ArrayList<>();
        private ReplicationSettings settings = new ReplicationSettings(true, "ROW", true, "ON", true, false);
        private Instant at = T0;
        private String received;
        private Duration silence;
        private ServerVersion version;
        private dev.warden.model.HeartbeatWrite write;
        private Duration heartbeatPeriod = Duration.ofMillis(500);
        private String queueing;
        private dev.warden.model.BinlogCoordinates readPosition;
        private Duration readOnlySinceStart;
        private dev.warden.model.Term term;
        private long delaySeconds;
        private final List<String> filters = new ArrayList<>();
        private final List<ReplicaStatus> extraChannels = new ArrayList<>();
        private InstanceKey reported;

        Server(InstanceKey key) {
            this.key = key;
        }

        public Server mariadb() {
            flavor = Flavor.MARIADB;
            settings = new ReplicationSettings(true, "ROW", true, "n/a", true, true);
            return this;
        }

        public Server id(long id) {
            serverId = id;
            return this;
        }

        public Server readOnly(ReadOnlyState ro) {
            readOnly = ro;
            return this;
        }

        public Server gtid(String g) {
            gtid = g;
            return this;
        }

        /** MariaDB gtid_binlog_state, such as "0-1-10,0-2-11". */
        public Server binlogState(String state) {
            binlogState = state;
            return this;
        }

        public Server replicaOf(String address) {
            source = InstanceKey.parse(address);
            if (readOnly == ReadOnlyState.WRITABLE) {
                readOnly = ReadOnlyState.SUPER_READ_ONLY;
            }
            return this;
        }

        public Server threads(ThreadState io, ThreadState sql) {
            this.io = io;
            this.sql = sql;
            return this;
        }

        public Server sqlError(int errno, String message) {
            this.sql = ThreadState.STOPPED;
            this.sqlError = new ReplicationError(errno, message, "");
            return this;
        }

        public Server ioError(int errno, String message) {
            this.ioError = new ReplicationError(errno, message, "");
            return this;
        }

        public Server secondsBehind(Long s) {
            secondsBehind = s;
            return this;
        }

        public Server filePosition() {
            autoPosition = false;
            return this;
        }

        public Server connectedReplica(long id, String host, int port) {
            connected.add(new ConnectedReplica(id, host, port, null));
            return this;
        }

        public Server heartbeat(long fromServerId, long seq, Instant writtenAt) {
            heartbeats.add(new HeartbeatRow(fromServerId, seq, writtenAt));
            return this;
        }

        public Server serverNow(Instant now) {
            serverNow = now;
            return this;
        }

        public Server settings(ReplicationSettings s) {
            settings = s;
            return this;
        }

        public Server at(Instant when) {
            at = when;
            return this;
        }

        /** What the IO thread received (defaults to what was executed). */
        public Server received(String gtidSet) {
            received = gtidSet;
            return this;
        }

        /** The replica reports having heard nothing from its source for this long (performance_schema). */
        public Server silentFor(Duration d) {
            silence = d;
            return this;
        }

        public Server version(ServerVersion v) {
            version = v;
            return this;
        }

        public Server write(dev.warden.model.HeartbeatWrite w) {
            write = w;
            return this;
        }

        /** The replica's heartbeat period as the server reports it (null: unknown); 500 ms unless set. */
        public Server heartbeatPeriod(Duration d) {
            heartbeatPeriod = d;
            return this;
        }

        /** Read-only by its startup configuration, up this long. */
        /** Its {@code warden.term} row: the epoch of the leadership that promoted it (several managers). */
        public Server term(long epoch, String manager) {
            term = new dev.warden.model.Term(epoch, manager);
            return this;
        }

        public Server readOnlySinceStart(Duration up) {
            readOnlySinceStart = up;
            return this;
        }

        /** How far the receiver read its source's binlog (Read_Source_Log_Pos in binlog.000001). */
        public Server readPosition(long position) {
            readPosition = new dev.warden.model.BinlogCoordinates("binlog.000001", position);
            return this;
        }

        /** The transaction the receiver was queueing when it lost its source (MySQL QUEUEING_TRANSACTION). */
        public Server queueing(String gtid) {
            queueing = gtid;
            return this;
        }

        public Server delay(long seconds) {
            delaySeconds = seconds;
            return this;
        }

        public Server filter(String column, String value) {
            filters.add(column + "=" + value);
            return this;
        }

        /** A second replication channel from {@code address}, running. */
        public Server channel(String name, String address) {
            extraChannels.add(new ReplicaStatus(name, InstanceKey.parse(address), null, 0, ThreadState.RUNNING,
                    ThreadState.RUNNING, "", null, null, 0L, GtidPosition.empty(flavor), GtidPosition.empty(flavor), true,
                    0, null, null, ReceiverStatus.UNKNOWN, List.of()));
            return this;
        }

        /** report_host:report_port. */
        public Server reports(String address) {
            reported = InstanceKey.parse(address);
            return this;
        }

        public Server problem(String p) {
            problems.add(p);
            return this;
        }

        public InstanceSnapshot build() {
            ServerVersion version = this.version != null ? this.version : flavor == Flavor.MYSQL
                    ? ServerVersion.of(Flavor.MYSQL, 8, 0, 15)
                    : ServerVersion.parse("10.11.19-MariaDB-0+deb12u1-log", "Debian 12");
            GtidPosition executed = GtidPosition.parse(flavor, gtid);
            GtidPosition retrieved = received == null ? executed : GtidPosition.parse(flavor, received);
            ReceiverStatus receiver = new ReceiverStatus(silence, silence, 10, heartbeatPeriod,
                    queueing);
            List<ReplicaStatus> channels = new ArrayList<>();
            if (source != null) {
                channels.add(new ReplicaStatus("", source, null, 0, io, sql, "", ioError, sqlError,
                        io == ThreadState.RUNNING && sql == ThreadState.RUNNING ? secondsBehind : null,
                        retrieved, executed, autoPosition, delaySeconds, readPosition, null, receiver, filters));
                channels.addAll(extraChannels);
            }
            ServerState state = new ServerState(version, serverId, flavor == Flavor.MYSQL
                    ? String.format("00000000-0000-0000-0000-%012d", serverId) : null, readOnly, settings, executed,
                    flavor == Flavor.MARIADB ? dev.warden.model.MariaDbBinlogState.parse(binlogState) : null, channels, connected, SemiSyncState.NOT_AVAILABLE,
                    new HeartbeatObservation(heartbeats, serverNow, T0, T0, null), problems, reported,
                    readOnlySinceStart, term);
            return InstanceSnapshot.reachable(key, at, Duration.ofMillis(3), state).withHeartbeatWrite(write);
        }
    }
}
