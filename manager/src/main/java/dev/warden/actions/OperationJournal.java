package dev.warden.actions;

import dev.warden.hooks.HookOutcome;
import java.util.List;

/**
 * Where an operation's record goes as it happens, so that a manager restarted after a crash knows what was done.
 * {@link #opened} must succeed before anything runs; the other calls are written before the operation moves on.
 */
public interface OperationJournal {

    OperationJournal NONE = new OperationJournal() {
    };

    /** The operation and its planned steps, before the first step runs. Throws when it cannot be recorded. */
    default void opened(Operation op) {
    }

    /** A step started (written before it runs) or ended (written before the next one starts). */
    default void step(Operation op, StepRecord record) {
    }

    default void hooks(Operation op, List<HookOutcome> outcomes) {
    }

    default void finished(Operation op) {
    }
}
