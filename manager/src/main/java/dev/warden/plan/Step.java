package dev.warden.plan;

import dev.warden.model.InstanceKey;
import java.time.Duration;

/**
 * One action of a plan, as data: on which server, how long it may take, what it does and what must hold before
 * it runs. Executing a step twice is harmless: a step finds its work already done and says so.
 */
public sealed interface Step permits FenceOldPrimary, CatchUp, Promote, Repoint, RunHooks, MakeReadOnly,
        KillClientSessions, WaitForGtid, RouteWriters, MakeWritable, SetHeartbeatPeriod, PublishPrimary {

    InstanceKey server();

    Duration timeout();

    /** "fence 127.0.0.1:3306: super_read_only, kill client sessions". */
    String describe();

    /** What is checked, right before the step runs, for it to go ahead. */
    String precondition();

    /** A short name for logs and metrics: fence, catch-up, promote, re-point, hooks, ... */
    String kind();
}
