package dev.warden.actions;

import dev.warden.plan.Step;
import java.time.Duration;
import java.time.Instant;

/**
 * One step of an operation as it ran: when, how long, how it ended, what happened.
 *
 * @param effectiveAt when its change took effect on the server, if tracked
 * @param undo        a step run to put things back after a failure
 */
public record StepRecord(int index, Step step, Instant startedAt, Instant endedAt, StepStatus status, String detail,
                         Instant effectiveAt, boolean undo) {

    public Duration took() {
        return startedAt == null || endedAt == null ? null : Duration.between(startedAt, endedAt);
    }
}
