package dev.warden.decision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.decision.ManagerObservation.Reach;
import dev.warden.model.InstanceKey;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A verdict that the primary is gone needs a majority of the configured managers, and no fresh veto. */
class ManagerQuorumTest {

    static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
    static final InstanceKey PRIMARY = InstanceKey.of("127.0.0.1", 3306);
    static final List<String> THREE = List.of("a", "b", "c");
    static final Duration FRESH = Duration.ofMillis(2500);

    static Finding dead(boolean pending) {
        return new Finding(FindingCode.DeadPrimary, "dead", 100, List.of(PRIMARY), List.of(), "refused for 1.0 s; "
                + "2/2 replicas confirm", pending);
    }

    static ManagerPeers.Heard heard(String m, Reach reach, boolean confirms, Duration age) {
        return new ManagerPeers.Heard(new ManagerObservation(m, 5, PRIMARY.toString(), reach, confirms, "saw"), age);
    }

    static ManagerPeers peers(List<String> configured, Map<String, ManagerPeers.Heard> heard) {
        return new ManagerPeers("a", configured, new Leadership(true, 3, "a", null), heard, FRESH);
    }

    static Finding judged(ManagerPeers p) {
        List<Finding> out = ManagerQuorum.apply(List.of(dead(false)), p, NOW);
        assertThat(out).hasSize(1);
        return out.get(0);
    }

    @Test
    void aloneNothingChanges() {
        List<Finding> own = List.of(dead(false));
        assertThat(ManagerQuorum.apply(own, ManagerPeers.ALONE, NOW)).isEqualTo(own);
    }

    @Test
    void twoOfThreeConfirmingIsAMajority() {
        Map<String, ManagerPeers.Heard> h = new LinkedHashMap<>();
        h.put("b", heard("b", Reach.UNREACHABLE, true, Duration.ofMillis(300)));
        Finding f = judged(peers(THREE, h));
        assertThat(f.pending()).isFalse();
        assertThat(f.detail()).contains("2/3 managers confirm (a, b)");
        assertThat(f.votes()).extracting(Vote::observer).containsExactly("manager b", "manager c");
        assertThat(f.votes().get(1).verdict()).isEqualTo(Vote.Verdict.ABSTAINS);
    }

    @Test
    void oneOfThreeIsNotEnoughAndTheVerdictWaits() {
        Finding f = judged(peers(THREE, Map.of()));
        assertThat(f.pending()).isTrue();
        assertThat(f.detail()).contains("only 1/3 managers confirm (a), 2 needed");
    }

    @Test
    void aManagerThatStillReachesAHealthyPrimaryVetoesEvenAgainstAMajority() {
        List<String> five = List.of("a", "b", "c", "d", "e");
        Map<String, ManagerPeers.Heard> h = new LinkedHashMap<>();
        h.put("b", heard("b", Reach.UNREACHABLE, true, Duration.ofMillis(100)));
        h.put("c", heard("c", Reach.UNREACHABLE, true, Duration.ofMillis(100)));
        h.put("d", heard("d", Reach.HEALTHY, false, Duration.ofMillis(900)));
        Finding f = judged(peers(five, h));
        assertThat(f.pending()).isTrue();
        assertThat(f.detail()).contains("d still reaches it healthy");
    }

    @Test
    void aStaleObservationCountsAsNeitherConfirmationNorVeto() {
        Map<String, ManagerPeers.Heard> h = new LinkedHashMap<>();
        h.put("b", heard("b", Reach.UNREACHABLE, true, Duration.ofSeconds(5)));
        h.put("c", heard("c", Reach.HEALTHY, false, Duration.ofSeconds(5)));
        Finding f = judged(peers(THREE, h));
        assertThat(f.pending()).isTrue();
        assertThat(f.detail()).contains("only 1/3");
        assertThat(f.votes()).allMatch(v -> v.verdict() == Vote.Verdict.ABSTAINS && v.saw().contains("silent"));
    }

    @Test
    void aManagerWatchingAnotherPrimaryNeitherConfirmsNorVetoes() {
        Map<String, ManagerPeers.Heard> h = new LinkedHashMap<>();
        h.put("b", new ManagerPeers.Heard(new ManagerObservation("b", 5, "127.0.0.1:3307", Reach.HEALTHY, false,
                "answers"), Duration.ofMillis(100)));
        h.put("c", heard("c", Reach.UNREACHABLE, true, Duration.ofMillis(100)));
        Finding f = judged(peers(THREE, h));
        assertThat(f.pending()).isFalse();
        assertThat(f.detail()).contains("2/3 managers confirm (a, c)");
    }

    @Test
    void aPeerThatOnlySuspectsDoesNotConfirm() {
        Map<String, ManagerPeers.Heard> h = new LinkedHashMap<>();
        h.put("b", heard("b", Reach.UNREACHABLE, false, Duration.ofMillis(100)));
        assertThat(judged(peers(THREE, h)).pending()).isTrue();
    }

    @Test
    void aPendingFindingIsLeftAsItIs() {
        List<Finding> own = List.of(dead(true));
        assertThat(ManagerQuorum.apply(own, peers(THREE, Map.of()), NOW)).isEqualTo(own);
    }

    @Test
    void aFollowerDoesNotActAndSaysWhoLeads() {
        assertThat(new Leadership(false, 0, "b", null).whyNotActing("main"))
                .isEqualTo("b leads cluster main; this manager watches and votes");
        assertThat(new Leadership(false, 0, "b", "ZooKeeper down").whyNotActing("main"))
                .contains("coordination is down (ZooKeeper down)");
        assertThat(Leadership.ALONE.whyNotActing("main")).isNull();
    }
}
