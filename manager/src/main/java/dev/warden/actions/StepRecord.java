package dev.warden.actions;

import dev.warden.plan.Step;
import java.time.Duration;
import java.time.Instant;

/** One step of an operation as it ran: when, how long, how it ended, what happened. */
public record StepRecord(int index, Step step, Instant startedAt, Instant endedAt, StepStatus status, String detail) {

    public Duration took() {
        return startedAt == null || endedAt == null ? null : Duration.between(startedAt, endedAt);
    }
}
