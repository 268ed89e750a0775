package dev.warden.actions;

/** How a step ended. */
public enum StepStatus {
    DONE,
    /** The work was already done (steps are idempotent). */
    ALREADY_DONE,
    /** Could not be done now and will be retried (fencing an unreachable old primary). */
    PENDING,
    FAILED,
    /** Started; its end is not recorded yet (it runs now, or a manager crash cut it short). */
    RUNNING,
    /** Not run (yet, or because an earlier step failed). */
    NOT_RUN;

    /** The step's work holds: done now or found done. */
    public boolean holds() {
        return this == DONE || this == ALREADY_DONE;
    }
}
