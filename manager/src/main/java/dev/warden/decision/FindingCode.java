package dev.warden.decision;

/** The problems Warden recognises, named as DBAs say them. */
public enum FindingCode {
    DeadPrimary,
    DeadPrimaryAndSomeReplicas,
    DeadPrimaryWithoutReplicas,
    UnreachablePrimary,
    UnreachablePrimaryWithLaggingReplicas,
    PrimaryNotWriting,
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
    OperationInterrupted;

    /** Findings that call for a failover. */
    public boolean primaryGone() {
        return this == DeadPrimary || this == DeadPrimaryAndSomeReplicas || this == PrimaryNotWriting;
    }
}
