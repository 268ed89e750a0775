package dev.warden.decision;

import dev.warden.model.InstanceKey;
import java.util.List;

/**
 * A problem found in a cluster: its code, what it means, how urgent, which servers, the evidence (one vote per
 * observer, when the question is whether the primary is gone) and a sentence with the specifics.
 *
 * @param pending true when the problem may become a failover once more evidence arrives (the confirmation
 *                window has not passed yet): the engine probes faster meanwhile
 */
public record Finding(FindingCode code, String description, int priority, List<InstanceKey> servers,
                      List<Vote> votes, String detail, boolean pending) {

    public Finding {
        servers = List.copyOf(servers);
        votes = List.copyOf(votes);
    }

    public InstanceKey server() {
        return servers.isEmpty() ? null : servers.get(0);
    }

    /** "DeadPrimary 127.0.0.1:3306: manager: refused for 0.250 s; 2/2 replicas confirm". */
    public String sentence() {
        return code + (servers.isEmpty() ? "" : " " + servers.get(0)) + ": " + detail;
    }
}
