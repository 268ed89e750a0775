package dev.warden.plan;

/** What a plan is for. */
public enum PlanKind {
    /** Replace a dead or hung primary. */
    FAILOVER,
    /** Move the primary on purpose, without losing a write. */
    SWITCHOVER,
    /** Fence again an old primary that came back writable. */
    REFENCE,
    /** Attach an old primary, or a replica left on it, to the new primary. */
    REJOIN,
    /** Replication settings Warden needs to judge the servers (a replica's heartbeat period). */
    CONFIGURE,
    /** Give a primary started again read-only (its my.cnf), with nothing promoted in its place, its writes back. */
    RESTORE
}
