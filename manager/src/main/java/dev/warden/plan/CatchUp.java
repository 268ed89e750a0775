package dev.warden.plan;

import dev.warden.model.GtidPosition;
import dev.warden.model.InstanceKey;
import java.time.Duration;

/**
 * Let the candidate apply everything it received (starting its SQL thread if it was stopped), bounded.
 *
 * @param received what the candidate had received when the plan was made
 */
public record CatchUp(InstanceKey server, GtidPosition received, Duration timeout) implements Step {

    @Override
    public String describe() {
        return "catch up " + server + ": apply its relay log (" + received + ")";
    }

    @Override
    public String precondition() {
        return server + " reachable, SQL thread not stopped on an error";
    }

    @Override
    public String kind() {
        return "catch-up";
    }
}
