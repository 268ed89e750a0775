package dev.warden.decision;

import dev.warden.model.ErrantTransactions;
import dev.warden.model.GtidPosition;
import dev.warden.model.GtidSet;
import dev.warden.model.HeartbeatRow;
import dev.warden.model.InstanceKey;
import dev.warden.model.PromotionRule;
import dev.warden.model.ReplicaStatus;
import dev.warden.model.ReplicationSettings;
import dev.warden.model.ServerState;
import dev.warden.model.ServerVersion;
import dev.warden.plan.Plan;
import dev.warden.topology.TopologyNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which replica of a lost primary should replace it. Excludes: unreachable, must_not, in maintenance, SQL thread
 * broken, delayed, with replication filters, replicating on more than one channel, errant transactions, lag over the
 * limit, binlog/GTID settings that cannot serve replicas, a version older than another candidate's. Ranks the rest
 * by the most advanced completely received position (relay logs count), then promotion rule, then priority. Pure.
 *
 * <p>While the primary is alive a replica's lag is how far it is behind it. Once the primary is gone that grows with
 * every second since its death for every replica alike, so then lag is relative: how far each replica's last applied
 * heartbeat is behind the newest one known (on any replica, or on the primary when last seen), on the primary's own
 * clock.
 */
public final class Candidates {

    private Candidates() {
    }

    /** A replica that may be promoted, with what it has received. */
    public record Eligible(TopologyNode node, GtidPosition received, long missing) {
    }

    public record Choice(List<Eligible> ranked, List<Plan.Reasoned> excluded, GtidPosition known) {
        public boolean any() {
            return !ranked.isEmpty();
        }

        public Eligible best() {
            return ranked.get(0);
        }
    }

    /**
     * What a replica has received completely or applied from the primary's lineage: its own (errant) writes and a
     * transaction cut short in transfer do not count. MySQL: (Retrieved_Gtid_Set without the partial one +
     * gtid_executed) minus what is errant against the last-seen primary; MariaDB: Gtid_IO_Pos + Gtid_Slave_Pos
     * (which also shows local writes) without the errant origins.
     */
    public static GtidPosition received(ServerState s, ServerState lastPrimary) {
        ReplicaStatus ch = s.mainChannel().orElse(null);
        if (ch != null && ch.relayLogAtRisk()) {
            ch = null; // its relay log goes as soon as replication starts again: only what it executed counts
        }
        return gathered(s, ch, lastPrimary);
    }

    /** Everything a replica has seen of the primary's lineage, its relay log included even when it is at risk. */
    static GtidPosition seen(ServerState s, ServerState lastPrimary) {
        return gathered(s, s.mainChannel().orElse(null), lastPrimary);
    }

    private static GtidPosition gathered(ServerState s, ReplicaStatus ch, ServerState lastPrimary) {
        if (s.gtidExecuted() instanceof GtidSet executed) {
            GtidSet all = ch == null ? executed : executed.union((GtidSet) ch.receivedComplete());
            if (lastPrimary != null && lastPrimary.flavor() == s.flavor()) {
                all = all.subtract(ErrantTransactions.of(s, lastPrimary).set());
            }
            return all;
        }
        GtidPosition got = ch == null ? s.gtidExecuted() : ch.receivedComplete().union(ch.executed());
        return lastPrimary != null && lastPrimary.flavor() == s.flavor()
                ? ErrantTransactions.of(s, lastPrimary).withoutErrant(got) : got;
    }

    /** Candidates while the primary is alive (a switchover, a forced failover, the plan shown ahead of time). */
    public static Choice choose(ClusterView view, List<TopologyNode> replicas, ServerState lastPrimary) {
        return choose(view, replicas, lastPrimary, null);
    }

    /**
     * @param lagAfterDeath each replica's lag relative to the others and the primary's last known heartbeat (see
     *                      {@link #relativeLag}) once the primary is gone; null while it is alive
     */
    public static Choice choose(ClusterView view, List<TopologyNode> replicas, ServerState lastPrimary,
                                Map<InstanceKey, Duration> lagAfterDeath) {
        GtidPosition known = lastPrimary == null ? null : lastPrimary.gtidExecuted();
        for (TopologyNode r : replicas) {
            if (r.snapshot().reachable()) {
                GtidPosition got = seen(r.snapshot().state(), lastPrimary);
                known = known == null ? got : sameFlavor(known, got) ? known.union(got) : known;
            }
        }
        List<Plan.Reasoned> excluded = new ArrayList<>();
        List<TopologyNode> fit = new ArrayList<>();
        for (TopologyNode r : replicas) {
            String why = exclusion(view, r, lastPrimary, lagAfterDeath);
            if (why != null) {
                excluded.add(new Plan.Reasoned(r.key(), why));
            } else {
                fit.add(r);
            }
        }
        // Only candidates count: a newer version on a replica that cannot be promoted anyway excludes nobody.
        ServerVersion newest = fit.stream().map(r -> r.snapshot().state().version()).max(Comparator.naturalOrder())
                .orElse(null);
        List<Eligible> eligible = new ArrayList<>();
        for (TopologyNode r : fit) {
            ServerVersion v = r.snapshot().state().version();
            if (newest != null && v.compareTo(newest) < 0) {
                excluded.add(new Plan.Reasoned(r.key(), v + " is older than " + newest + " on another candidate"));
                continue;
            }
            GtidPosition got = received(r.snapshot().state(), lastPrimary);
            eligible.add(new Eligible(r, got, known == null ? 0 : got.missingFrom(known)));
        }
        eligible.sort(Comparator.comparingLong(Eligible::missing)
                .thenComparing(e -> view.promotion(e.node().key()) == PromotionRule.PREFER ? 0 : 1)
                .thenComparing(e -> -view.priority(e.node().key()))
                .thenComparing(e -> e.node().key()));
        return new Choice(List.copyOf(eligible), excluded, known);
    }

    private static boolean sameFlavor(GtidPosition a, GtidPosition b) {
        return a.getClass() == b.getClass();
    }

    /**
     * How far each reachable replica's last applied heartbeat of the primary ({@code primaryServerId}) is behind the
     * newest one known: on any replica, or on the primary itself when it was last seen. Timestamps are all the
     * primary's clock, so no skew enters. Replicas without its heartbeat are left out (lag unknown).
     */
    public static Map<InstanceKey, Duration> relativeLag(List<TopologyNode> replicas, long primaryServerId,
                                                         ServerState lastPrimary) {
        Map<InstanceKey, Instant> applied = new LinkedHashMap<>();
        Instant newest = lastPrimary == null ? null : lastPrimary.heartbeat().from(primaryServerId)
                .map(HeartbeatRow::writtenAt).orElse(null);
        for (TopologyNode r : replicas) {
            if (!r.snapshot().reachable()) {
                continue;
            }
            Optional<HeartbeatRow> row = r.snapshot().state().heartbeat().from(primaryServerId);
            if (row.isPresent()) {
                applied.put(r.key(), row.get().writtenAt());
                newest = newest == null || row.get().writtenAt().isAfter(newest) ? row.get().writtenAt() : newest;
            }
        }
        Map<InstanceKey, Duration> out = new LinkedHashMap<>();
        for (Map.Entry<InstanceKey, Instant> e : applied.entrySet()) {
            Duration d = Duration.between(e.getValue(), newest);
            out.put(e.getKey(), d.isNegative() ? Duration.ZERO : d);
        }
        return out;
    }

    /** Why a replica cannot be the candidate, or null. */
    static String exclusion(ClusterView view, TopologyNode r, ServerState lastPrimary,
                            Map<InstanceKey, Duration> lagAfterDeath) {
        InstanceKey k = r.key();
        if (!r.snapshot().reachable()) {
            return "unreachable (" + r.snapshot().reachability().display() + ")";
        }
        if (view.promotion(k) == PromotionRule.MUST_NOT) {
            return "promotion rule must_not";
        }
        if (view.controls().serversInMaintenance().contains(k)) {
            return "in maintenance";
        }
        ServerState s = r.snapshot().state();
        ReplicaStatus ch = s.mainChannel().orElse(null);
        if (ch != null && ch.sqlBroken()) {
            return "SQL thread stopped on " + ch.sqlError();
        }
        if (ch != null && ch.sqlDelaySeconds() > 0) {
            return "a delayed replica (applies " + ch.sqlDelaySeconds() + " s behind its source): never promoted";
        }
        if (ch != null && !ch.filters().isEmpty()) {
            return "replication filters (" + String.join(", ", ch.filters()) + "): it may lack data; never promoted";
        }
        if (s.replication().size() > 1) {
            List<String> others = s.replication().stream().filter(c -> c != ch)
                    .map(c -> "'" + c.channel() + "' from " + c.source()).toList();
            return "also replicates on channel " + String.join(", ", others) + ": never promoted";
        }
        if (lastPrimary != null && lastPrimary.flavor() == s.flavor()) {
            ErrantTransactions errant = ErrantTransactions.of(s, lastPrimary);
            if (errant.any()) {
                return errant.count() + " errant transaction(s): " + errant.description();
            }
        }
        Duration limit = view.policy().maxCandidateLag();
        if (lagAfterDeath != null) {
            Duration behind = lagAfterDeath.get(k);
            if (behind != null && behind.compareTo(limit) > 0) {
                return "its last applied heartbeat is " + PrimaryAssessment.seconds(behind) + " older than the newest "
                        + "one known, over the limit of " + PrimaryAssessment.seconds(limit);
            }
        } else if (r.lag().known() && r.lag().estimate().compareTo(limit) > 0) {
            return "lag " + r.lag().display() + " over the limit of " + PrimaryAssessment.seconds(limit);
        }
        ReplicationSettings rs = s.settings();
        if (!rs.binlogEnabled()) {
            return "binary log off: it could not serve replicas";
        }
        if (!rs.logReplicaUpdates()) {
            return "log_replica_updates off: replicas could not get what it replicated";
        }
        if (!rs.gtidUsable(s.flavor())) {
            return "GTIDs off: replicas could not auto-position on it";
        }
        return null;
    }
}
