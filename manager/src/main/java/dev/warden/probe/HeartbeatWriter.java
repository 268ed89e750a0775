package dev.warden.probe;

import dev.warden.dialect.Dialect;
import dev.warden.model.HeartbeatWrite;
import dev.warden.model.Reachability;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The write probe: updates the primary's row in {@code warden.heartbeat}. Its success proves the primary can
 * commit; the times it was sent and acknowledged (manager clock) let replicas' lag be measured without
 * trusting server clocks. Callers must only point it at the one writable server that replicates from nobody,
 * or it would create errant transactions.
 */
public final class HeartbeatWriter {

    private final Clock clock;
    private final String writerName;

    /** Several managers: write nothing on a read-only server (see the dialect's guarded statement). */
    private final boolean onlyWhileWritable;

    public HeartbeatWriter(Clock clock, String writerName) {
        this(clock, writerName, false);
    }

    public HeartbeatWriter(Clock clock, String writerName, boolean onlyWhileWritable) {
        this.onlyWhileWritable = onlyWhileWritable;
        this.clock = clock;
        this.writerName = writerName.length() > 200 ? writerName.substring(0, 200) : writerName;
    }

    public HeartbeatWrite write(ProbeConnection pc, long serverId, Duration timeout) {
        Deadline deadline = Deadline.after(timeout);
        Instant sentAt = clock.instant();
        Connection c = null;
        try {
            c = pc.connect(deadline);
            Dialect d = pc.dialect();
            java.util.List<Long> stuck = pc.stillRunning(deadline);
            if (!stuck.isEmpty()) {
                return HeartbeatWrite.failed(HeartbeatWrite.Outcome.TIMED_OUT, serverId, sentAt, "an earlier "
                        + "heartbeat write still runs on the server (session " + stuck + "); no new one is sent");
            }
            Jdbc.bound(c, deadline);
            long sequence;
            try (PreparedStatement st = c.prepareStatement((onlyWhileWritable ? d.heartbeatWriteWhileWritableStatement()
                    : d.heartbeatWriteStatement()).text(),
                    Statement.RETURN_GENERATED_KEYS)) {
                st.setString(1, writerName);
                st.setString(2, writerName);
                st.executeUpdate();
                sequence = 1;
                try (ResultSet keys = st.getGeneratedKeys()) {
                    if (keys.next() && keys.getLong(1) > 0) {
                        sequence = keys.getLong(1);
                    }
                }
            }
            return HeartbeatWrite.written(serverId, sequence, sentAt, clock.instant());
        } catch (SQLException | RuntimeException e) {
            Reachability r = FailureClassifier.classify(e);
            if (!FailureClassifier.isStatementError(e) && c != null) {
                pc.invalidate(c);
            }
            HeartbeatWrite.Outcome outcome = r == Reachability.TIMEOUT
                    ? HeartbeatWrite.Outcome.TIMED_OUT : HeartbeatWrite.Outcome.FAILED;
            return HeartbeatWrite.failed(outcome, serverId, sentAt, FailureClassifier.message(e));
        }
    }
}
