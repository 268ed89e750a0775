package dev.warden.actions;

import dev.warden.dialect.Sql;
import dev.warden.dialect.TermSql;
import dev.warden.model.Term;
import dev.warden.probe.FailureClassifier;
import java.sql.SQLException;

/** Reading and writing {@code warden.term} through an admin session (several managers only). */
final class Terms {

    private Terms() {
    }

    /** The server's row for {@code cluster}; null when it has none (or no table yet). */
    static Term read(AdminSession s, String cluster) throws SQLException {
        try {
            return TermSql.parse(s.query(TermSql.READ), cluster);
        } catch (SQLException e) {
            if (e.getErrorCode() == TermSql.NO_TABLE) {
                return null;
            }
            throw e;
        }
    }

    /**
     * Writes the promoting leadership's epoch on the new primary, from where it replicates. The promotion stands
     * whether or not it could be written (the server is already writable): the outcome's detail says which.
     */
    static String write(AdminSession s, StepExecutor.TermWriter w, long epoch) {
        Sql write = TermSql.write(w.cluster(), epoch, w.manager());
        try {
            try {
                s.execute(write);
            } catch (SQLException e) {
                if (e.getErrorCode() != TermSql.NO_TABLE) {
                    throw e;
                }
                // Not created with sql/heartbeat.sql: created here when the account may (CREATE on warden.*).
                s.execute(TermSql.CREATE);
                s.execute(write);
            }
            return "; warden.term set to epoch " + epoch;
        } catch (SQLException e) {
            return "; could not write warden.term epoch " + epoch + " (" + FailureClassifier.message(e)
                    + "): a stale primary cannot be told by its epoch; create the table with sql/heartbeat.sql";
        }
    }
}
