package dev.warden.actions;

/**
 * A step's result and a sentence saying what happened (and, when it failed, what a human should do).
 *
 * @param effectiveAt when the change took effect on the server (read-only set, writable set); null if not tracked
 */
public record StepOutcome(StepStatus status, String detail, java.time.Instant effectiveAt) {

    public static StepOutcome done(String detail) {
        return new StepOutcome(StepStatus.DONE, detail, null);
    }

    public static StepOutcome done(String detail, java.time.Instant effectiveAt) {
        return new StepOutcome(StepStatus.DONE, detail, effectiveAt);
    }

    public static StepOutcome alreadyDone(String detail) {
        return new StepOutcome(StepStatus.ALREADY_DONE, detail, null);
    }

    public static StepOutcome pending(String detail) {
        return new StepOutcome(StepStatus.PENDING, detail, null);
    }

    public static StepOutcome failed(String detail) {
        return new StepOutcome(StepStatus.FAILED, detail, null);
    }

    public boolean failed() {
        return status == StepStatus.FAILED;
    }
}
