package dev.warden.decision;

import dev.warden.model.InstanceSnapshot;
import dev.warden.model.Reachability;
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
 * <p>Votes mean what they say. The manager's failure counts only when it may mean the primary is gone (refused,
 * timed out, network error; a login refused or "too many connections" proves it answers), and a timeout only from
 * the second failed probe on. A replica confirms only when its IO thread lost its source on a network error, or
 * when it heard nothing for longer than the silence limit while its heartbeat period, as read from the server, is
 * short enough for that limit to mean something. An IO thread refused by its source (access denied, too many
 * connections, TLS) proves the source answers: that replica cannot confirm.
 *
 * @param unreachableFor how long the manager has failed to reach the primary in any way (zero when it reaches it)
 * @param lostFor        how long the confirmation window has been counting (zero while it does not)
 * @param writeStuckFor  how long the heartbeat write has been timing out (zero when it does not)
 */
public record PrimaryAssessment(TopologyNode primary, Vote manager, List<Vote> replicaVotes,
                                List<TopologyNode> directReplicas, Duration unreachableFor, Duration lostFor,
                                Duration writeStuckFor) {

    /** IO thread errors that mean the replica cannot reach its source over the network. */
    static final Set<Integer> SOURCE_UNREACHABLE = Set.of(2002, 2003, 2005, 2006, 2013, 2055, 1158, 1159, 1160,
            1161);
    /**
     * IO thread errors that prove the source answered: access denied, too many connections (also per user), host
     * blocked or not allowed, authentication plugin and TLS errors, the source's own binlog errors.
     */
    public static final Set<Integer> SOURCE_ANSWERED = Set.of(1045, 1040, 1203, 1129, 1130, 1251, 2061, 2026, 3159, 1236,
            13114, 1593, 1595);

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
        Duration lost = Duration.ZERO;
        Vote manager;
        if (ps.reachable()) {
            manager = new Vote("manager", Vote.Verdict.SEES_ALIVE, "reached it in " + ps.latency().toMillis() + " ms",
                    ps.probedAt());
        } else {
            Instant since = h != null && h.unreachableSince() != null ? h.unreachableSince() : ps.probedAt();
            unreachable = nonNegative(Duration.between(since, now));
            String what = ps.reachability().display() + " for " + seconds(unreachable) + " (" + ps.error() + ")";
            if (!ServerHistory.suggestsLoss(ps.reachability())) {
                Vote.Verdict v = ps.reachability() == Reachability.UNKNOWN ? Vote.Verdict.ABSTAINS
                        : Vote.Verdict.SEES_ALIVE;
                manager = new Vote("manager", v, what + (v == Vote.Verdict.SEES_ALIVE
                        ? ": it answers, so it is alive; not a dead vote" : ": cannot tell"), ps.probedAt());
            } else {
                int probes = h == null ? 1 : Math.max(1, h.lostProbes());
                Instant from = h == null ? null : h.lostSince();
                lost = from == null ? Duration.ZERO : nonNegative(Duration.between(from, now));
                manager = new Vote("manager", Vote.Verdict.CONFIRMS_DEAD, what + (probes > 1
                        ? ", " + probes + " failed probes" : from == null ? ", one timed-out probe so far" : ""),
                        ps.probedAt());
            }
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
        return Optional.of(new PrimaryAssessment(p, manager, votes, direct, unreachable, lost, stuck));
    }

    /** The manager cannot reach the primary in a way that may mean it is gone (its vote is CONFIRMS_DEAD). */
    public boolean managerLostIt() {
        return manager.verdict() == Vote.Verdict.CONFIRMS_DEAD;
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
        String error = errno == 0 ? "" : ", error " + errno + " (" + shorten(ch.ioError().message()) + ")";
        if (ch.ioThread() == ThreadState.CONNECTING || ch.ioThread() == ThreadState.STOPPED) {
            if (SOURCE_ANSWERED.contains(errno)) {
                return new Vote(who, Vote.Verdict.ABSTAINS, "IO thread " + ch.ioThread().display() + error
                        + ": its source answered it, so this is no dead vote", s.probedAt());
            }
            if (SOURCE_UNREACHABLE.contains(errno) || (ch.ioThread() == ThreadState.CONNECTING && errno == 0)) {
                return new Vote(who, Vote.Verdict.CONFIRMS_DEAD, "IO thread " + ch.ioThread().display() + error,
                        s.probedAt());
            }
            return new Vote(who, Vote.Verdict.ABSTAINS, "IO thread " + ch.ioThread().display()
                    + (errno == 0 ? " (stopped by hand)" : " on error " + errno), s.probedAt());
        }
        if (ch.ioThread() != ThreadState.RUNNING) {
            return new Vote(who, Vote.Verdict.ABSTAINS, "IO thread " + ch.ioThread().display(), s.probedAt());
        }
        ServerHistory h = view.history().of(r.key());
        ReceiverTrack track = h == null ? null : h.receivers().get(ch.channel());
        Duration silence = track == null ? Duration.ZERO : track.silence(now);
        Duration limit = view.policy().replicaSilence();
        if (silence.compareTo(limit) <= 0) {
            return new Vote(who, Vote.Verdict.SEES_ALIVE, "received from it " + seconds(silence) + " ago", s.probedAt());
        }
        Duration period = ch.receiver().heartbeatPeriod();
        if (!silenceMeansSomething(period, limit)) {
            return new Vote(who, Vote.Verdict.ABSTAINS, "IO thread connected, nothing received for "
                    + seconds(silence) + ", but its heartbeat period " + (period == null ? "is unknown"
                    : periodText(period) + " is too long") + " for that to mean anything (limit " + seconds(limit)
                    + "): only a disconnected IO thread would count", s.probedAt());
        }
        return new Vote(who, Vote.Verdict.CONFIRMS_DEAD, "IO thread connected but nothing received for "
                + seconds(silence) + " (limit " + seconds(limit) + ", heartbeat period " + periodText(period) + ")",
                s.probedAt());
    }

    /**
     * A live source sends something at least every heartbeat period, and the manager may over-estimate a live
     * replica's silence by one more: the silence limit means "gone" only when it exceeds two periods.
     */
    public static boolean silenceMeansSomething(Duration heartbeatPeriod, Duration limit) {
        return heartbeatPeriod != null && heartbeatPeriod.compareTo(Duration.ZERO) > 0
                && heartbeatPeriod.multipliedBy(2).compareTo(limit) < 0;
    }

    static String periodText(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
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
