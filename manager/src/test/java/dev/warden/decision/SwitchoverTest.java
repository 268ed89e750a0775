package dev.warden.decision;

import static dev.warden.decision.Views.at;
import static dev.warden.testing.Snapshots.clusterAt;
import static dev.warden.testing.Snapshots.server;
import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.config.SwitchoverPolicy;
import dev.warden.model.InstanceKey;
import dev.warden.model.PromotionRule;
import dev.warden.model.ReadOnlyState;
import dev.warden.model.ThreadState;
import dev.warden.plan.MakeWritable;
import dev.warden.plan.Promote;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SwitchoverTest {

    static final String U = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
    static final String P = "10.0.0.1:3306";
    static final String R1 = "10.0.0.2:3306";
    static final String R2 = "10.0.0.3:3306";
    static final SwitchoverPolicy SP = SwitchoverPolicy.DEFAULTS;

    static dev.warden.testing.Snapshots.Server replica(String addr, long id) {
        return server(addr).id(id).replicaOf(P).gtid(U + ":1-100").secondsBehind(0L);
    }

    static ClusterView healthy(Views v) {
        return v.of(clusterAt(at(0), server(P).id(1).gtid(U + ":1-100").build(), replica(R1, 2).build(),
                replica(R2, 3).build()));
    }

    @Test
    void plansReadOnlyKillWaitPromoteRepointWithUndo() {
        ClusterView v = new Views().controls(ClusterControls.NONE).of(clusterAt(at(0),
                server(P).id(1).gtid(U + ":1-100").build(), replica(R1, 2).build(), replica(R2, 3).build()));
        v = new ClusterView(v.topology(), v.history(), v.controls(), v.policy(), v.configured(),
                new Integrations(Set.of(dev.warden.model.HookEvent.PRE_SWITCHOVER), true));
        Switchover.Decision d = Switchover.plan(v, InstanceKey.parse(R2), SP, at(1));
        assertThat(d.refused()).as(d.refusals().toString()).isFalse();
        assertThat(d.plan().steps()).extracting(s -> s.kind()).containsExactly("hooks", "read-only", "kill-sessions",
                "wait-gtid", "promote", "route-writers", "re-point", "re-point");
        assertThat(d.plan().steps().get(d.plan().undoBefore())).isInstanceOf(Promote.class);
        assertThat(d.plan().undo()).singleElement().isInstanceOf(MakeWritable.class);
        assertThat(d.plan().steps().get(6).server()).as("the old primary is re-pointed first")
                .isEqualTo(InstanceKey.parse(P));
    }

    @Test
    void withAGateTheStoresAreWrittenBeforeThePromotion_andWrittenBackOnUndo() {
        ClusterView h = healthy(new Views());
        ClusterView v = new ClusterView(h.topology(), h.history(), h.controls(), h.policy(), h.configured(),
                new Integrations(Set.of(), false, null, new Integrations.Kv(true, Duration.ofSeconds(2))));
        Switchover.Decision d = Switchover.plan(v, InstanceKey.parse(R2), SP, at(1));
        assertThat(d.plan().steps()).extracting(s -> s.kind()).containsExactly("read-only", "kill-sessions",
                "wait-gtid", "publish", "promote", "re-point", "re-point");
        assertThat(d.plan().steps().get(d.plan().undoBefore())).as("a failed publish is rolled back")
                .isInstanceOf(Promote.class);
        assertThat(d.plan().undo()).extracting(s -> s.kind() + " " + s.server()).containsExactly(
                "writable " + P, "publish " + P);
        ClusterView b = new ClusterView(h.topology(), h.history(), h.controls(), h.policy(), h.configured(),
                new Integrations(Set.of(), false, null, new Integrations.Kv(false, Duration.ofSeconds(2))));
        Switchover.Decision e = Switchover.plan(b, InstanceKey.parse(R2), SP, at(1));
        assertThat(e.plan().steps()).extracting(s -> s.kind()).containsExactly("read-only", "kill-sessions",
                "wait-gtid", "promote", "publish", "re-point", "re-point");
        assertThat(e.plan().undo()).singleElement().isInstanceOf(MakeWritable.class);
    }

    @Test
    void withoutATargetTheBestCandidateIsChosen() {
        ClusterView v = new Views().rule(R2, PromotionRule.PREFER, 0).of(clusterAt(at(0),
                server(P).id(1).gtid(U + ":1-100").build(), replica(R1, 2).build(), replica(R2, 3).build()));
        assertThat(Switchover.plan(v, null, SP, at(1)).plan().candidate()).isEqualTo(InstanceKey.parse(R2));
    }

    @Test
    void thePrecheckRefusesWithEveryReason() {
        String other = "8a94f357-aab4-11df-86ab-c80aa9429563";
        ClusterView v = new Views().rule(R1, PromotionRule.MUST_NOT, 0).of(clusterAt(at(0),
                server(P).id(1).gtid(U + ":1-100").build(),
                server(R1).id(2).replicaOf(P).gtid(U + ":1-100," + other + ":1").secondsBehind(30L)
                        .threads(ThreadState.RUNNING, ThreadState.STOPPED).build(),
                replica(R2, 3).build()));
        Switchover.Decision d = Switchover.plan(v, InstanceKey.parse(R1), SP, at(1));
        assertThat(d.refused()).isTrue();
        assertThat(d.refusals()).containsExactly(
                "replication not running (IO running, SQL stopped)",
                "lag unknown",
                "1 errant transaction(s): " + other + ":1",
                "promotion rule must_not");
    }

    @Test
    void refusesWhatIsNotASwitchover() {
        assertThat(Switchover.plan(healthy(new Views()), InstanceKey.parse(P), SP, at(1)).refusals())
                .containsExactly("10.0.0.1:3306 is already the primary");
        assertThat(Switchover.plan(healthy(new Views()), InstanceKey.parse("10.9.9.9:3306"), SP, at(1)).refusals())
                .containsExactly("10.9.9.9:3306 is not a replica of primary 10.0.0.1:3306");
        ClusterView ro = new Views().of(clusterAt(at(0), server(P).id(1).readOnly(ReadOnlyState.SUPER_READ_ONLY)
                .gtid(U + ":1").build(), replica(R1, 2).build()));
        assertThat(Switchover.plan(ro, null, SP, at(1)).refusals()).singleElement().asString()
                .contains("super_read_only, not taking writes");
        ClusterView lagging = new Views().of(clusterAt(at(0), server(P).id(1).gtid(U + ":1-100").build(),
                replica(R1, 2).secondsBehind(60L).build()));
        assertThat(Switchover.plan(lagging, null, SP, at(1)).refusals()).singleElement().asString()
                .contains("lag 60s (seconds_behind) over switchover.max_lag 5000 ms");
        assertThat(Duration.ofSeconds(5)).isEqualTo(SP.maxLag());
    }
}
