package dev.warden.decision;

/** The problems Warden recognises, named as DBAs say them. */
public enum FindingCode {
    DeadPrimary,
    DeadPrimaryAndSomeReplicas,
    DeadPrimaryWithoutReplicas,
    UnreachablePrimary,
    UnreachablePrimaryWithLaggingReplicas,
    PrimaryNotWriting,
    /** The heartbeat write times out but replicas still hear from the primary: blocked, not dead. */
    PrimaryWritesBlocked,
    PrimaryReadOnly,
    ReplicaWritable,
    TwoWritablePrimaries,
    ReplicationStopped,
    ReplicationBroken,
    ReplicaLagging,
    ErrantGtid,
    ReplicaOfWrongSource,
    NoPrimary,
    QuarantinedPrimary,
    OperationInterrupted,
    /** A replica's heartbeat period is unknown or too long for its silence to confirm a dead primary. */
    HeartbeatPeriodTooLong,
    /** This manager lost its exclusive hold on its store: another manager may act; it does not. */
    StoreLockLost,
    /** Several managers: ZooKeeper has no quorum or this manager cannot reach it, so no manager acts. */
    CoordinationDown,
    /** A key-value store named another primary than the cluster's (it was rewritten), or cannot be read or written. */
    PublishedPrimaryWrong;

    /** Findings that call for a failover. */
    public boolean primaryGone() {
        return this == DeadPrimary || this == DeadPrimaryAndSomeReplicas || this == PrimaryNotWriting;
    }
}
