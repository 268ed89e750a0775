package dev.warden.decision;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The other managers as this one knows them, for one cluster: who is configured, who leads, and what each last
 * published with its age on this manager's clock. Values only.
 *
 * @param self       this manager's name
 * @param configured every configured manager's name (the majority is counted on these)
 * @param heard      the others' last observations, by manager name
 * @param freshness  an observation older than this counts as neither a confirmation nor a veto
 */
public record ManagerPeers(String self, List<String> configured, Leadership leadership, Map<String, Heard> heard,
                           Duration freshness) {

    /** A manager alone: no quorum of managers, it always leads. */
    public static final ManagerPeers ALONE = new ManagerPeers(null, List.of(), Leadership.ALONE, Map.of(),
            Duration.ZERO);

    /** An observation and how long ago (on this manager's clock) it last changed. */
    public record Heard(ManagerObservation observation, Duration age) {
    }

    public ManagerPeers {
        configured = List.copyOf(configured);
        heard = Map.copyOf(heard);
    }

    public boolean coordinated() {
        return !configured.isEmpty();
    }

    public int majority() {
        return configured.size() / 2 + 1;
    }
}
