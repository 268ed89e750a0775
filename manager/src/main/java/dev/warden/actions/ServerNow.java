package dev.warden.actions;

import dev.warden.model.InstanceKey;
import dev.warden.model.ReplicaStatus;
import dev.warden.probe.ConnectionFactory;
import dev.warden.probe.FailureClassifier;
import java.sql.SQLException;
import java.time.Duration;

/** A server read again on a fresh connection after a step failed, as one clause for the record. */
final class ServerNow {

    private ServerNow() {
    }

    /** "now: 127.0.0.1:3306 is writable, replicates from nobody" or why it could not be read. */
    static String of(ConnectionFactory factory, InstanceKey key, Duration budget) {
        try (AdminSession s = AdminSession.open(factory, key, budget)) {
            return "read again: " + describe(s);
        } catch (SQLException e) {
            return "it could not be read again (" + FailureClassifier.message(e) + ")";
        }
    }

    static String describe(AdminSession s) throws SQLException {
        ReplicaStatus ch = s.channel();
        return s.key + " is " + s.variables().readOnly().display() + ", " + (ch == null ? "replicates from nobody"
                : "replicates from " + ch.source() + " (IO " + ch.ioThread().display() + ", SQL "
                + ch.sqlThread().display() + ")");
    }
}
