package dev.warden.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.decision.Decision;
import dev.warden.decision.Finding;
import dev.warden.decision.FindingCode;
import dev.warden.model.InstanceKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CycleLogTest {

    static final InstanceKey R1 = InstanceKey.of("127.0.0.1", 3307);
    static final String HEALTHY = "cluster main: primary 127.0.0.1:3306 writable, 2/2 replicas replicating, max lag <=0.%03ds";
    static final Decision NOTHING = new Decision.Skip("nothing to do");

    final CycleLog log = new CycleLog(Duration.ofMinutes(5));
    Instant now = Instant.parse("2026-12-04T10:00:00Z");

    List<String> cycle(String state, List<Finding> findings, Decision decision) {
        now = now.plusMillis(500);
        List<String> out = new ArrayList<>();
        for (CycleLog.Line l : log.lines("main", state, findings, decision, state + "; " + decision.sentence(), now)) {
            out.add(l.text());
        }
        return out;
    }

    static Finding stopped(InstanceKey server, String detail) {
        return new Finding(FindingCode.ReplicationStopped, "replication stopped", 5, List.of(server), List.of(),
                detail, false);
    }

    @Test
    void aHealthyClusterIsLoggedOnceThenOnlyInTheSummary() {
        assertThat(cycle(HEALTHY.formatted(12), List.of(), NOTHING)).singleElement().asString()
                .startsWith("First look at cluster main: primary 127.0.0.1:3306 writable");
        for (int i = 0; i < 100; i++) {
            assertThat(cycle(HEALTHY.formatted(i * 7 % 1000), List.of(), NOTHING)).as("cycle " + i).isEmpty();
        }
        // 101 cycles of 0.5 s: 50.5 s; the summary comes once five minutes passed since the last INFO line
        List<String> summaries = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            summaries.addAll(cycle(HEALTHY.formatted(3), List.of(), NOTHING));
        }
        assertThat(summaries).singleElement().asString().startsWith("Summary, every 5m: cluster main: primary");
    }

    @Test
    void theLagComingAndGoingOrChangingItsBasisIsNoChange() {
        cycle(HEALTHY.formatted(1), List.of(), NOTHING);
        assertThat(cycle("cluster main: primary 127.0.0.1:3306 writable, 2/2 replicas replicating", List.of(),
                NOTHING)).isEmpty();
        assertThat(cycle("cluster main: primary 127.0.0.1:3306 writable, 2/2 replicas replicating, max lag >=1.250s",
                List.of(), NOTHING)).isEmpty();
        assertThat(cycle("cluster main: primary 127.0.0.1:3306 writable, 2/2 replicas replicating, max lag 3s "
                + "(seconds_behind)", List.of(), NOTHING)).isEmpty();
    }

    @Test
    void aFindingIsRaisedOnceWhateverItsFiguresThenClearedWithHowLongItStood() {
        cycle(HEALTHY.formatted(1), List.of(), NOTHING);
        String degraded = "cluster main: primary 127.0.0.1:3306 writable, 1/2 replicas replicating, max lag <=0.001s;"
                + " 127.0.0.1:3307 IO thread stopped";
        List<String> first = cycle(degraded, List.of(stopped(R1, "IO thread stopped for 0.5s")), NOTHING);
        assertThat(first).containsExactly("Now " + degraded,
                "Cluster main: raised ReplicationStopped 127.0.0.1:3307: IO thread stopped for 0.5s");
        for (int i = 2; i < 20; i++) {
            assertThat(cycle(degraded, List.of(stopped(R1, "IO thread stopped for " + i * 0.5 + "s")), NOTHING))
                    .isEmpty();
        }
        List<String> back = cycle(HEALTHY.formatted(2), List.of(), NOTHING);
        assertThat(back).hasSize(2);
        assertThat(back.get(0)).startsWith("Now cluster main: primary 127.0.0.1:3306 writable, 2/2 replicas");
        assertThat(back.get(1)).isEqualTo("Cluster main: cleared ReplicationStopped 127.0.0.1:3307 after 9.5s");
    }

    @Test
    void theSameFindingOnAnotherServerIsItsOwnLine() {
        cycle(HEALTHY.formatted(1), List.of(), NOTHING);
        InstanceKey r2 = InstanceKey.of("127.0.0.1", 3308);
        cycle(HEALTHY.formatted(1), List.of(stopped(R1, "x")), NOTHING);
        List<String> both = cycle(HEALTHY.formatted(1), List.of(stopped(R1, "x"), stopped(r2, "y")), NOTHING);
        assertThat(both).containsExactly("Cluster main: raised ReplicationStopped 127.0.0.1:3308: y");
        assertThat(cycle(HEALTHY.formatted(1), List.of(stopped(r2, "y")), NOTHING)).singleElement().asString()
                .startsWith("Cluster main: cleared ReplicationStopped 127.0.0.1:3307 after ");
    }

    @Test
    void aNewDecisionIsLoggedOnceButNotItsCountdown() {
        cycle(HEALTHY.formatted(1), List.of(), NOTHING);
        List<String> waiting = cycle(HEALTHY.formatted(1), List.of(),
                new Decision.Wait("confirmation window, 2.5s left"));
        assertThat(waiting).containsExactly("Cluster main: waiting: confirmation window, 2.5s left");
        assertThat(cycle(HEALTHY.formatted(1), List.of(), new Decision.Wait("confirmation window, 2.0s left")))
                .isEmpty();
        assertThat(cycle(HEALTHY.formatted(1), List.of(), new Decision.Skip("anti-flap: last failover 30 s ago")))
                .containsExactly("Cluster main: no action: anti-flap: last failover 30 s ago");
    }

    @Test
    void lastedReadsLikeADuration() {
        assertThat(CycleLog.lasted(Duration.ofMillis(800))).isEqualTo("0.8s");
        assertThat(CycleLog.lasted(Duration.ofSeconds(95))).isEqualTo("95.0s");
        assertThat(CycleLog.lasted(Duration.ofMinutes(12))).isEqualTo("12min");
        assertThat(CycleLog.lasted(Duration.ofSeconds(122))).isEqualTo("2min 2s");
        assertThat(CycleLog.lasted(Duration.ofMinutes(210))).isEqualTo("3.5h");
    }
}
