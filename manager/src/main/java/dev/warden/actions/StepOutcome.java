package dev.warden.actions;

/** A step's result and a sentence saying what happened (and, when it failed, what a human should do). */
public record StepOutcome(StepStatus status, String detail) {

    public static StepOutcome done(String detail) {
        return new StepOutcome(StepStatus.DONE, detail);
    }

    public static StepOutcome alreadyDone(String detail) {
        return new StepOutcome(StepStatus.ALREADY_DONE, detail);
    }

    public static StepOutcome pending(String detail) {
        return new StepOutcome(StepStatus.PENDING, detail);
    }

    public static StepOutcome failed(String detail) {
        return new StepOutcome(StepStatus.FAILED, detail);
    }

    public boolean failed() {
        return status == StepStatus.FAILED;
    }
}
