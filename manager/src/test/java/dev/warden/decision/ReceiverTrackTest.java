package dev.warden.decision;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReceiverTrackTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration PERIOD = Duration.ofMillis(500);

    private static Instant at(long millis) {
        return T0.plusMillis(millis);
    }

    @Test
    void aChangeIsCreditedBackAtMostOneHeartbeatPeriodAndNeverBeforeThePreviousProbe() {
        assertThat(ReceiverTrack.changedAt(at(0), at(1000), PERIOD)).isEqualTo(at(500));
        assertThat(ReceiverTrack.changedAt(at(900), at(1000), PERIOD)).isEqualTo(at(900));
        assertThat(ReceiverTrack.changedAt(at(0), at(1000), null)).isEqualTo(at(1000));
        assertThat(ReceiverTrack.changedAt(at(1000), at(1000), PERIOD)).isEqualTo(at(1000));
    }

    /**
     * A live source sends something at least every period; probes come every second, then every 50 ms. However they
     * interleave, the silence measured stays under two periods: far from the limit of three.
     */
    @Test
    void aLiveReplicaNeverLooksSilentForTwoPeriods() {
        Random random = new Random(7);
        for (int trial = 0; trial < 500; trial++) {
            long receipt = random.nextInt(500);
            long probe = random.nextInt(1000);
            long previousProbe = probe - 1000;
            long lastChange = probe;
            long maxSilence = 0;
            long nextReceipt = receipt;
            long seenUpTo = receipt - 1;
            for (int step = 0; step < 200; step++) {
                long gap = step < 5 ? 1000 : 50;
                previousProbe = probe;
                probe += gap;
                boolean changed = false;
                while (nextReceipt <= probe) {
                    if (nextReceipt > seenUpTo) {
                        changed = true;
                    }
                    seenUpTo = nextReceipt;
                    nextReceipt += 1 + random.nextInt(500); // at most one period apart
                }
                if (changed) {
                    lastChange = ReceiverTrack.changedAt(at(previousProbe), at(probe), PERIOD).toEpochMilli()
                            - T0.toEpochMilli();
                }
                maxSilence = Math.max(maxSilence, probe - lastChange);
            }
            assertThat(maxSilence).as("trial " + trial).isLessThan(2 * PERIOD.toMillis());
        }
    }
}
