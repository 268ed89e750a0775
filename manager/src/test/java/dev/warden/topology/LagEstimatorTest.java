package dev.warden.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.model.HeartbeatObservation;
import dev.warden.model.HeartbeatRow;
import dev.warden.model.HeartbeatWrite;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LagEstimatorTest {

    static final Instant T = Instant.parse("2026-11-22T12:00:00Z");
    static final long PRIMARY = 1000;

    static Instant at(long ms) {
        return T.plusMillis(ms);
    }

    /** The manager wrote seq 10 at 0 ms, 11 at 1000 ms, 12 at 2000 ms; each acknowledged 5 ms later. */
    static HeartbeatLog log() {
        HeartbeatLog l = HeartbeatLog.empty(PRIMARY);
        for (int i = 0; i < 3; i++) {
            l = l.with(HeartbeatWrite.written(PRIMARY, 10 + i, at(1000L * i), at(1000L * i + 5)));
        }
        return l;
    }

    static HeartbeatObservation applied(long seq, Instant replicaClock) {
        return new HeartbeatObservation(List.of(new HeartbeatRow(PRIMARY, seq, T)), replicaClock, null, null, null);
    }

    @Test
    void aCaughtUpReplicaIsAtMostTheTimeSinceTheNewestWriteBehind() {
        ReplicationLag lag = LagEstimator.estimate(applied(12, null), PRIMARY, log(), at(2010), at(2012), null);
        assertThat(lag.basis()).isEqualTo(ReplicationLag.Basis.HEARTBEAT);
        assertThat(lag.atLeast()).isEqualTo(Duration.ZERO);
        assertThat(lag.atMost()).isEqualTo(Duration.ofMillis(12));
        assertThat(lag.display()).isEqualTo("<=0.012s");
    }

    @Test
    void aLaggingReplicaIsAtLeastTheTimeSinceTheFirstWriteItLacks() {
        ReplicationLag lag = LagEstimator.estimate(applied(10, null), PRIMARY, log(), at(2500), at(2502), null);
        assertThat(lag.atLeast()).isEqualTo(Duration.ofMillis(2500 - 1005));
        assertThat(lag.atMost()).isEqualTo(Duration.ofMillis(2502));
        assertThat(lag.estimate()).isEqualTo(Duration.ofMillis(1495));
        assertThat(lag.display()).isEqualTo(">=1.495s");
    }

    @Test
    void aWriteAcknowledgedAfterTheReadDoesNotCountAsMissing() {
        ReplicationLag lag = LagEstimator.estimate(applied(11, null), PRIMARY, log(), at(2002), at(2004), null);
        assertThat(lag.atLeast()).isEqualTo(Duration.ZERO);
        assertThat(lag.atMost()).isEqualTo(Duration.ofMillis(1004));
    }

    @Test
    void withoutALogTheReplicaClockIsUsed() {
        ReplicationLag lag = LagEstimator.estimate(applied(3, T.plusMillis(700)), PRIMARY, HeartbeatLog.empty(PRIMARY),
                at(0), at(1), null);
        assertThat(lag.basis()).isEqualTo(ReplicationLag.Basis.SERVER_CLOCK);
        assertThat(lag.estimate()).isEqualTo(Duration.ofMillis(700));
    }

    @Test
    void aLogOfAnotherPrimaryIsIgnored() {
        ReplicationLag lag = LagEstimator.estimate(applied(12, T.plusMillis(50)), PRIMARY,
                HeartbeatLog.empty(77).with(HeartbeatWrite.written(77, 1, at(0), at(1))), at(0), at(1), null);
        assertThat(lag.basis()).isEqualTo(ReplicationLag.Basis.SERVER_CLOCK);
    }

    @Test
    void withoutAHeartbeatRowSecondsBehindIsTheLastResort() {
        HeartbeatObservation none = new HeartbeatObservation(List.of(), T, null, null, null);
        assertThat(LagEstimator.estimate(none, PRIMARY, log(), at(0), at(1), 4L).display())
                .isEqualTo("4s (seconds_behind)");
        assertThat(LagEstimator.estimate(none, PRIMARY, log(), at(0), at(1), null)).isEqualTo(ReplicationLag.UNKNOWN);
    }

    @Test
    void theLogKeepsABoundedHistoryAndRestartsForANewPrimary() {
        HeartbeatLog l = HeartbeatLog.empty(PRIMARY);
        for (int i = 1; i <= HeartbeatLog.MAX_ENTRIES + 10; i++) {
            l = l.with(HeartbeatWrite.written(PRIMARY, i, at(i), at(i)));
        }
        assertThat(l.writes()).hasSize(HeartbeatLog.MAX_ENTRIES);
        assertThat(l.writes().get(0).sequence()).isEqualTo(11);
        assertThat(l.with(HeartbeatWrite.failed(HeartbeatWrite.Outcome.TIMED_OUT, PRIMARY, at(0), "x"))).isSameAs(l);
        HeartbeatLog other = l.with(HeartbeatWrite.written(2000, 1, at(0), at(1)));
        assertThat(other.serverId()).isEqualTo(2000);
        assertThat(other.writes()).hasSize(1);
    }

    @Test
    void aReplicaWithoutAnyHeartbeatOfThePrimaryLacksTheOldestLoggedWrite() {
        HeartbeatObservation none = new HeartbeatObservation(List.of(), T, null, null, null);
        ReplicationLag lag = LagEstimator.estimate(none, PRIMARY, log(), at(2010), at(2012), 0L);
        assertThat(lag.basis()).isEqualTo(ReplicationLag.Basis.HEARTBEAT);
        assertThat(lag.atLeast()).isEqualTo(Duration.ofMillis(2005));
        assertThat(lag.atMost()).isNull();
        assertThat(lag.display()).isEqualTo(">=2.005s");
    }
}
