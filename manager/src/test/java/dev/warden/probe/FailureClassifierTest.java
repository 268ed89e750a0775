package dev.warden.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.model.Reachability;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** Classification by cause chain, SQLState and error code (the real drivers' behaviour is covered by the ITs). */
class FailureClassifierTest {

    static SQLException link(Throwable cause) {
        SQLException e = new SQLException("Communications link failure", "08S01", 0);
        e.initCause(cause);
        return e;
    }

    @Test
    void classifiesByCause() {
        assertThat(FailureClassifier.classify(link(new ConnectException("Connection refused"))))
                .isEqualTo(Reachability.REFUSED);
        assertThat(FailureClassifier.classify(link(new SocketTimeoutException("Read timed out"))))
                .isEqualTo(Reachability.TIMEOUT);
        assertThat(FailureClassifier.classify(link(new UnknownHostException("db9"))))
                .isEqualTo(Reachability.NETWORK_ERROR);
        assertThat(FailureClassifier.classify(new SQLException("Access denied for user", "28000", 1045)))
                .isEqualTo(Reachability.AUTH_FAILED);
        assertThat(FailureClassifier.classify(new SQLException("Too many connections", "08004", 1040)))
                .isEqualTo(Reachability.SERVER_ERROR);
        assertThat(FailureClassifier.classify(new SQLException("link", "08S01", 0)))
                .isEqualTo(Reachability.NETWORK_ERROR);
        assertThat(FailureClassifier.classify(new IllegalStateException("?"))).isEqualTo(Reachability.UNKNOWN);
    }

    @Test
    void statementErrorsLeaveTheConnectionUsable() {
        SQLException denied = new SQLException("Access denied; you need REPLICATION CLIENT", "42000", 1227);
        assertThat(FailureClassifier.isStatementError(denied)).isTrue();
        assertThat(FailureClassifier.isPrivilegeError(denied)).isTrue();
        assertThat(FailureClassifier.isStatementError(new SQLException("Table doesn't exist", "42S02", 1146))).isTrue();
        assertThat(FailureClassifier.isStatementError(link(new SocketTimeoutException()))).isFalse();
        assertThat(FailureClassifier.isStatementError(new SQLException("Access denied for user", "28000", 1045)))
                .isFalse();
    }

    @Test
    void reportsTheRootMessage() {
        assertThat(FailureClassifier.rootMessage(link(new ConnectException("Connection refused"))))
                .isEqualTo("Connection refused");
        assertThat(FailureClassifier.message(new SQLException("first line\nsecond"))).isEqualTo("first line");
    }
}
