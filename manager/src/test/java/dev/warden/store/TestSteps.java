package dev.warden.store;

import dev.warden.actions.Operation;
import dev.warden.actions.StepOutcome;
import java.time.Instant;

/** Moves an operation's record along as the plan runner would, without servers. */
final class TestSteps {

    private TestSteps() {
    }

    static void start(Operation op, int index, Instant at) {
        dev.warden.actions.OperationTestAccess.started(op, index, at);
    }

    static void run(Operation op, int index, Instant at, StepOutcome o) {
        dev.warden.actions.OperationTestAccess.started(op, index, at);
        dev.warden.actions.OperationTestAccess.ended(op, index, at.plusMillis(10), o);
    }

    static void finish(Operation op, Operation.Outcome outcome, String summary, Instant at) {
        dev.warden.actions.OperationTestAccess.finish(op, outcome, summary, at);
    }
}
