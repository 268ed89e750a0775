package dev.warden.actions;

import java.time.Instant;

/** Test access to the package-private record keeping of {@link Operation}. */
public final class OperationTestAccess {

    private OperationTestAccess() {
    }

    public static void started(Operation op, int index, Instant at) {
        op.started(index, at);
    }

    public static void ended(Operation op, int index, Instant at, StepOutcome o) {
        op.ended(index, at, o);
    }

    public static void finish(Operation op, Operation.Outcome outcome, String summary, Instant at) {
        op.finish(outcome, summary, at);
    }
}
