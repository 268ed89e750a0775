package dev.warden.decision;

import dev.warden.model.InstanceKey;
import dev.warden.model.ReplicaStatus;
import dev.warden.model.ThreadState;
import dev.warden.plan.Plan;
import dev.warden.plan.PlanKind;
import dev.warden.plan.SetHeartbeatPeriod;
import dev.warden.plan.Step;
import dev.warden.topology.TopologyNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Replicas whose heartbeat period (as their server reports it) is too long for their silence to mean anything get
 * the period Warden needs, when it starts watching them and whenever someone changes it back. Only while the
 * cluster is calm: the primary answers and writes, no failure is suspected, nobody is in maintenance; a replica is
 * tried again at most every {@link #RETRY}. Pure: (view, last attempts, now) -> a plan or nothing.
 */
public final class HeartbeatTuning {

    public static final Duration RETRY = Duration.ofMinutes(1);

    private HeartbeatTuning() {
    }

    public static Optional<Plan> plan(ClusterView view, List<Finding> findings, Map<InstanceKey, Instant> lastTried,
                                      Instant now) {
        Duration target = view.integrations().enforcedHeartbeatPeriod();
        if (target == null || view.controls().maintenance() || view.whyNotActing() != null) {
            return Optional.empty();
        }
        boolean calm = findings.stream().noneMatch(f -> f.code().primaryGone() || f.pending()
                || f.code() == FindingCode.UnreachablePrimary || f.code() == FindingCode.OperationInterrupted
                || f.code() == FindingCode.PrimaryWritesBlocked);
        Optional<TopologyNode> primary = view.topology().primary();
        if (!calm || primary.isEmpty() || !primary.get().snapshot().reachable()
                || !primary.get().snapshot().state().readOnly().writable()) {
            return Optional.empty();
        }
        Duration limit = view.policy().replicaSilence();
        List<Step> steps = new ArrayList<>();
        for (TopologyNode r : view.topology().nodes().values()) {
            if (r.source() == null || !r.snapshot().reachable() || view.inMaintenance(r.key())) {
                continue;
            }
            Instant tried = lastTried.get(r.key());
            if (tried != null && now.isBefore(tried.plus(RETRY))) {
                continue;
            }
            ReplicaStatus ch = r.snapshot().state().mainChannel().orElseThrow();
            Duration period = ch.receiver().heartbeatPeriod();
            if (period == null || PrimaryAssessment.silenceMeansSomething(period, limit)
                    || ch.ioThread() != ThreadState.RUNNING) {
                continue; // unknowable (reported as a finding), already fine, or not replicating now
            }
            if (r.snapshot().state().flavor() == dev.warden.model.Flavor.MARIADB
                    && !ch.executed().contains(ch.retrieved())) {
                continue; // MariaDB discards the relay log when both threads start again: once it has applied it
            }
            steps.add(new SetHeartbeatPeriod(r.key(), ch.channel(), target, view.policy().repointTimeout()));
        }
        if (steps.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Plan(PlanKind.CONFIGURE, view.cluster(), steps.size() + " replica(s) with a heartbeat "
                + "period too long for their silence to mean anything", null, null, "replication.heartbeat_period is "
                + target.toMillis() + " ms and replication.enforce_heartbeat_period is on", 0, List.of(), List.of(),
                steps));
    }
}
