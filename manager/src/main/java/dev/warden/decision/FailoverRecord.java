package dev.warden.decision;

import dev.warden.model.InstanceKey;
import java.time.Instant;

/** What the last failover of a cluster did: who was replaced by whom, and when. */
public record FailoverRecord(String operationId, InstanceKey oldPrimary, InstanceKey newPrimary, Instant at) {
}
