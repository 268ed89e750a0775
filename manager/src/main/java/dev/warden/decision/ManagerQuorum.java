package dev.warden.decision;

import dev.warden.decision.ManagerObservation.Reach;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * With several managers, a verdict that the primary is gone needs a majority of the configured managers on top
 * of the replicas' votes: this one (its own findings say so) and every other whose fresh observation says so
 * too. Any manager that freshly reaches a healthy primary vetoes; one that is silent, cut off or stale counts as
 * neither. Pure.
 */
public final class ManagerQuorum {

    private ManagerQuorum() {
    }

    /** The findings with every confirmed "primary gone" held back (pending) unless the managers' quorum agrees. */
    public static List<Finding> apply(List<Finding> own, ManagerPeers peers, Instant now) {
        if (!peers.coordinated()) {
            return own;
        }
        List<Finding> out = new ArrayList<>(own.size());
        for (Finding f : own) {
            out.add(f.code().primaryGone() && !f.pending() && f.server() != null ? judge(f, peers, now) : f);
        }
        return out;
    }

    private static Finding judge(Finding f, ManagerPeers peers, Instant now) {
        String primary = f.server().toString();
        List<String> confirm = new ArrayList<>(List.of(peers.self()));
        List<String> veto = new ArrayList<>();
        List<Vote> votes = new ArrayList<>(f.votes());
        for (String m : peers.configured()) {
            if (m.equals(peers.self())) {
                continue;
            }
            ManagerPeers.Heard h = peers.heard().get(m);
            Vote.Verdict verdict = Vote.Verdict.ABSTAINS;
            String saw;
            if (h == null) {
                saw = "not heard from (down, or cut off from ZooKeeper)";
            } else if (h.age().compareTo(peers.freshness()) > 0) {
                saw = "silent for " + PrimaryAssessment.seconds(h.age()) + ": counts as neither";
            } else if (!primary.equals(h.observation().primary())) {
                saw = "watches " + (h.observation().primary() == null ? "no primary" : h.observation().primary())
                        + ", not " + primary;
            } else {
                saw = h.observation().saw();
                if (h.observation().reach() == Reach.HEALTHY) {
                    verdict = Vote.Verdict.SEES_ALIVE;
                    veto.add(m);
                } else if (h.observation().confirmsGone()) {
                    verdict = Vote.Verdict.CONFIRMS_DEAD;
                    confirm.add(m);
                }
            }
            votes.add(new Vote("manager " + m, verdict, saw, h == null ? now : now.minus(h.age())));
        }
        String count = confirm.size() + "/" + peers.configured().size() + " managers confirm ("
                + String.join(", ", confirm) + ")";
        if (!veto.isEmpty()) {
            return new Finding(f.code(), f.description(), f.priority(), f.servers(), votes, f.detail() + "; but "
                    + String.join(", ", veto) + " still reach" + (veto.size() == 1 ? "es" : "") + " it healthy: "
                    + "no failover while any manager does", true);
        }
        if (confirm.size() < peers.majority()) {
            return new Finding(f.code(), f.description(), f.priority(), f.servers(), votes, f.detail() + "; only "
                    + count + ", " + peers.majority() + " needed", true);
        }
        return new Finding(f.code(), f.description(), f.priority(), f.servers(), votes, f.detail() + "; " + count,
                false);
    }
}
