package dev.warden.hooks;

import java.time.Duration;

/**
 * How one hook ran for one event: its status, how many attempts, how long in all, and what went wrong.
 *
 * @param gate whether a failure of this hook stops the operation
 */
public record HookOutcome(String hook, String event, Status status, int attempts, Duration took, String detail,
                          boolean gate) {

    public enum Status { OK, FAILED, TIMED_OUT }

    public boolean ok() {
        return status == Status.OK;
    }

    /** A failed gate hook: the operation must stop. */
    public boolean blocks() {
        return gate && !ok();
    }

    @Override
    public String toString() {
        return hook + " on " + event + ": " + status.name().toLowerCase(java.util.Locale.ROOT) + " after " + attempts
                + " attempt(s) in " + took.toMillis() + " ms" + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")");
    }
}
