package dev.warden.decision;

import dev.warden.model.InstanceSnapshot;
import dev.warden.model.ReplicaStatus;
import dev.warden.model.ThreadState;
import dev.warden.topology.Role;
import dev.warden.topology.TopologyNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Is the primary gone? The manager's own observation and one vote per direct replica. Pure.
 *
 * @param unreachableFor how long the manager has failed to reach the primary (zero when it reaches it)
 * @param writeStuckFor  how long the heartbeat write has been timing out (zero when it does not)
 */
public record PrimaryAssessment(TopologyNode primary, Vote manager, List<Vote> replicaVotes,
                                List<TopologyNode> directReplicas, Duration unreachableFor, Duration writeStuckFor) {

    /** IO thread errors that mean the replica cannot reach its source. */
    private static final Set<Integer> SOURCE_UNREACHABLE = Set.of(2002, 2003, 2005, 2006, 2013, 2026, 1158, 1159,
            1160, 1161);

    /** The vote of one direct replica. */
    public Vote voteOf(TopologyNode replica) {
        return replicaVotes.get(directReplicas.indexOf(replica));
    }

    public long confirms() {
        return replicaVotes.stream().filter(v -> v.verdict() == Vote.Verdict.CONFIRMS_DEAD).count();
    }

    public long denies() {
        return replicaVotes.stream().filter(v -> v.verdict() == Vote.Verdict.SEES_ALIVE).count();
    }

    public List<Vote> allVotes() {
        List<Vote> all = new ArrayList<>();
        all.add(manager);
        all.addAll(replicaVotes);
        return all;
    }

    /** "manager: refused for 0.250 s; 2/2 replicas confirm". */
    public String summary() {
        return manager.saw() + "; " + confirms() + "/" + replicaVotes.size() + " replicas confirm"
                + (denies() > 0 ? ", " + denies() + " still receive from it" : "");
    }

    public static Optional<PrimaryAssessment> of(ClusterView view, Instant now) {
        List<TopologyNode> primaries = view.topology().withRole(Role.PRIMARY);
        if (primaries.size() != 1) {
            return Optional.empty();
        }
        TopologyNode p = primaries.get(0);
        ServerHistory h = view.history().of(p.key());
        InstanceSnapshot ps = p.snapshot();
        Duration unreachable = Duration.ZERO;
        Vote manager;
        if (ps.reachable()) {
            manager = new Vote("manager", Vote.Verdict.SEES_ALIVE, "reached it in " + ps.latency().toMillis() + " ms",
                    ps.probedAt());
        } else {
            Instant since = h != null && h.unreachableSince() != null ? h.unreachableSince() : ps.probedAt();
            unreachable = nonNegative(Duration.between(since, now));
            manager = new Vote("manager", Vote.Verdict.CONFIRMS_DEAD, ps.reachability().display() + " for "
                    + seconds(unreachable) + " (" + ps.error() + ")", ps.probedAt());
        }
        Duration stuck = h != null && h.writeStuckSince() != null ? nonNegative(Duration.between(h.writeStuckSince(), now))
                : Duration.ZERO;
        List<TopologyNode> direct = new ArrayList<>();
        List<Vote> votes = new ArrayList<>();
        for (TopologyNode r : view.topology().nodes().values()) {
            if (p.key().equals(r.source())) {
                direct.add(r);
                votes.add(vote(r, view, now));
            }
        }
        return Optional.of(new PrimaryAssessment(p, manager, votes, direct, unreachable, stuck));
    }

    private static Vote vote(TopologyNode r, ClusterView view, Instant now) {
        InstanceSnapshot s = r.snapshot();
        String who = "replica " + r.key();
        if (!s.reachable()) {
            return new Vote(who, Vote.Verdict.ABSTAINS, "unreachable itself (" + s.reachability().display()
                    + "), cannot ask", s.probedAt());
        }
        ReplicaStatus ch = s.state().mainChannel().orElseThrow();
        int errno = ch.ioError() == null ? 0 : ch.ioError().errno();
        if (ch.ioThread() == ThreadState.CONNECTING
                || (ch.ioThread() == ThreadState.STOPPED && SOURCE_UNREACHABLE.contains(errno))) {
            return new Vote(who, Vote.Verdict.CONFIRMS_DEAD, "IO thread " + ch.ioThread().display()
                    + (errno == 0 ? "" : ", error " + errno + " (" + shorten(ch.ioError().message()) + ")"),
                    s.probedAt());
        }
        if (ch.ioThread() != ThreadState.RUNNING) {
            return new Vote(who, Vote.Verdict.ABSTAINS, "IO thread " + ch.ioThread().display()
                    + (errno == 0 ? " (stopped by hand)" : " on error " + errno), s.probedAt());
        }
        ServerHistory h = view.history().of(r.key());
        ReceiverTrack track = h == null ? null : h.receivers().get(ch.channel());
        Duration silence = track == null ? Duration.ZERO : track.silence(now);
        Duration limit = view.policy().replicaSilence();
        if (silence.compareTo(limit) > 0) {
            return new Vote(who, Vote.Verdict.CONFIRMS_DEAD, "IO thread connected but nothing received for "
                    + seconds(silence) + " (limit " + seconds(limit) + ")", s.probedAt());
        }
        return new Vote(who, Vote.Verdict.SEES_ALIVE, "received from it " + seconds(silence) + " ago", s.probedAt());
    }

    private static String shorten(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }

    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.3f s", d.toNanos() / 1e9);
    }
}
