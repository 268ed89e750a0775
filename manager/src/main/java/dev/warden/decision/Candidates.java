package dev.warden.decision;

import dev.warden.model.ErrantTransactions;
import dev.warden.model.GtidPosition;
import dev.warden.model.GtidSet;
import dev.warden.model.InstanceKey;
import dev.warden.model.PromotionRule;
import dev.warden.model.ReplicaStatus;
import dev.warden.model.ReplicationSettings;
import dev.warden.model.ServerState;
import dev.warden.model.ServerVersion;
import dev.warden.plan.Plan;
import dev.warden.topology.TopologyNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which replica of a lost primary should replace it. Excludes: unreachable, must_not, in maintenance, SQL
 * thread broken, errant transactions, lag over the limit, binlog/GTID settings that cannot serve replicas, a
 * version older than another replica's. Ranks the rest by the most advanced received position (relay logs
 * count), then promotion rule, then priority. Pure.
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
     * What a replica has received or applied from the primary's lineage: its own (errant) writes do not count.
     * MySQL: (Retrieved_Gtid_Set + gtid_executed) minus what is errant against the last-seen primary; MariaDB:
     * Gtid_IO_Pos + Gtid_Slave_Pos (which also shows local writes) without the errant origins.
     */
    public static GtidPosition received(ServerState s, ServerState lastPrimary) {
        ReplicaStatus ch = s.mainChannel().orElse(null);
        if (s.gtidExecuted() instanceof GtidSet executed) {
            GtidSet all = ch == null ? executed : executed.union((GtidSet) ch.retrieved());
            if (lastPrimary != null && lastPrimary.flavor() == s.flavor()) {
                all = all.subtract(ErrantTransactions.of(s, lastPrimary).set());
            }
            return all;
        }
        GtidPosition got = ch == null ? s.gtidExecuted() : ch.retrieved().union(ch.executed());
        return lastPrimary != null && lastPrimary.flavor() == s.flavor()
                ? ErrantTransactions.of(s, lastPrimary).withoutErrant(got) : got;
    }

    public static Choice choose(ClusterView view, List<TopologyNode> replicas, ServerState lastPrimary) {
        GtidPosition known = lastPrimary == null ? null : lastPrimary.gtidExecuted();
        for (TopologyNode r : replicas) {
            if (r.snapshot().reachable()) {
                GtidPosition got = received(r.snapshot().state(), lastPrimary);
                known = known == null ? got : sameFlavor(known, got) ? known.union(got) : known;
            }
        }
        ServerVersion newest = replicas.stream().filter(r -> r.snapshot().reachable())
                .map(r -> r.snapshot().state().version()).max(Comparator.naturalOrder()).orElse(null);
        List<Eligible> eligible = new ArrayList<>();
        List<Plan.Reasoned> excluded = new ArrayList<>();
        for (TopologyNode r : replicas) {
            String why = exclusion(view, r, lastPrimary, newest);
            if (why != null) {
                excluded.add(new Plan.Reasoned(r.key(), why));
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

    /** Why a replica cannot be the candidate, or null. */
    static String exclusion(ClusterView view, TopologyNode r, ServerState lastPrimary, ServerVersion newest) {
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
        if (lastPrimary != null && lastPrimary.flavor() == s.flavor()) {
            ErrantTransactions errant = ErrantTransactions.of(s, lastPrimary);
            if (errant.any()) {
                return errant.count() + " errant transaction(s): " + errant.description();
            }
        }
        if (r.lag().known() && r.lag().estimate().compareTo(view.policy().maxCandidateLag()) > 0) {
            return "lag " + r.lag().display() + " over the limit of "
                    + PrimaryAssessment.seconds(view.policy().maxCandidateLag());
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
        if (newest != null && s.version().compareTo(newest) < 0) {
            return s.version() + " is older than " + newest + " on another replica";
        }
        return null;
    }
}
