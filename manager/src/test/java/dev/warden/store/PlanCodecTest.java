package dev.warden.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.model.HookEvent;
import dev.warden.model.InstanceKey;
import dev.warden.model.MariaDbGtidPosition;
import dev.warden.plan.CatchUp;
import dev.warden.plan.KillClientSessions;
import dev.warden.plan.MakeReadOnly;
import dev.warden.plan.MakeWritable;
import dev.warden.plan.Plan;
import dev.warden.plan.PlanKind;
import dev.warden.plan.Promote;
import dev.warden.plan.Repoint;
import dev.warden.plan.RouteWriters;
import dev.warden.plan.RunHooks;
import dev.warden.plan.WaitForGtid;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Plans must come back from the store exactly as they were planned: a restart resumes from them. */
class PlanCodecTest {

    static final InstanceKey A = InstanceKey.parse("db1.example:3306");
    static final InstanceKey B = InstanceKey.parse("[2001:db8::2]:3307");

    @Test
    void everyStepKindRoundTrips() {
        Plan p = new Plan(PlanKind.SWITCHOVER, "main", "switchover requested by alice", A, B, "caught up", 0,
                List.of(new Plan.Reasoned(A, "lag 3 s")), List.of(new Plan.Reasoned(B, "in maintenance")),
                List.of(new RunHooks(HookEvent.PRE_SWITCHOVER, A, Duration.ofMillis(1500)),
                        new MakeReadOnly(A, Duration.ofSeconds(2)),
                        new KillClientSessions(A, Duration.ofMillis(50), Duration.ofSeconds(3)),
                        new WaitForGtid(B, A, Duration.ofSeconds(4)),
                        new CatchUp(B, MariaDbGtidPosition.parse("0-1-100,1-2-7"), Duration.ofSeconds(5)),
                        new Promote(B, Duration.ofSeconds(6)), new RouteWriters(B, Duration.ofSeconds(7)),
                        new Repoint(A, B, Duration.ofSeconds(8)),
                        new dev.warden.plan.PublishPrimary(B, Duration.ofSeconds(2), false)),
                List.of(new MakeWritable(A, Duration.ofSeconds(9)),
                        new dev.warden.plan.PublishPrimary(A, Duration.ofSeconds(3), true)), 5);
        assertThat(PlanCodec.plan(PlanCodec.plan(p))).isEqualTo(p);
    }

    @Test
    void aStepFromANewerWardenIsNamed() {
        assertThatThrownBy(() -> PlanCodec.step("{\"type\":\"Teleport\",\"server\":\"a:1\",\"timeoutMs\":1}"))
                .hasMessageContaining("unknown step type 'Teleport'").hasMessageContaining("newer Warden");
    }
}
