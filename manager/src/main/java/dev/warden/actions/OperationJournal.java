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

    /**
     * A failover is about to promote: the obligation to keep its old primary fenced must be kept first (it survives
     * any crash from here on). Throws when it cannot be kept; then nothing is promoted.
     */
    default void beforePromotion(Operation op) {
    }

    /** A failover's promotion took effect: the anti-flap block and the last failover are kept at once. */
    default void promoted(Operation op) {
    }

    /** Records in {@code first} (whose {@link #opened} may refuse), then tells {@code then}. */
    static OperationJournal both(OperationJournal first, OperationJournal then) {
        return new OperationJournal() {
            @Override
            public void opened(Operation op) {
                first.opened(op);
                then.opened(op);
            }

            @Override
            public void step(Operation op, StepRecord record) {
                first.step(op, record);
                then.step(op, record);
            }

            @Override
            public void hooks(Operation op, List<HookOutcome> outcomes) {
                first.hooks(op, outcomes);
                then.hooks(op, outcomes);
            }

            @Override
            public void finished(Operation op) {
                first.finished(op);
                then.finished(op);
            }

            @Override
            public void beforePromotion(Operation op) {
                first.beforePromotion(op);
                then.beforePromotion(op);
            }

            @Override
            public void promoted(Operation op) {
                first.promoted(op);
                then.promoted(op);
            }
        };
    }
}
