package dev.warden.plan;

import dev.warden.model.InstanceKey;
import java.time.Duration;

/**
 * Wait until {@code server} has executed exactly what {@code source} has (read from the source when the step
 * starts, after it stopped taking writes). Failing it rolls a switchover back.
 */
public record WaitForGtid(InstanceKey server, InstanceKey source, Duration timeout) implements Step {

    @Override
    public String describe() {
        return "wait until " + server + " has executed everything " + source + " has";
    }

    @Override
    public String precondition() {
        return source + " read-only, " + server + " replicating from it";
    }

    @Override
    public String kind() {
        return "wait-gtid";
    }
}
