package dev.warden.actions;

/**
 * Checked before every step of every operation: with several managers, that this one still leads the cluster with
 * the operation's epoch (a compare-and-set in ZooKeeper), so a deposed or paused leader never runs another step.
 */
public interface StepGuard {

    /** A manager alone. */
    StepGuard NONE = op -> { };

    /** @throws Refused when this manager may no longer act on the operation's cluster */
    void check(Operation op);

    /** The step was not run: this manager may no longer act. The operation stays unfinished for the next leader. */
    final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message);
        }
    }
}
