package dev.warden.actions;

/** How a step ended. */
public enum StepStatus {
    DONE,
    /** The work was already done (steps are idempotent). */
    ALREADY_DONE,
    /** Could not be done now and will be retried (fencing an unreachable old primary). */
    PENDING,
    FAILED,
    /** Not run because an earlier step failed. */
    NOT_RUN
}
