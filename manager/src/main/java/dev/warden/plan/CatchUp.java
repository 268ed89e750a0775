package dev.warden.plan;

import dev.warden.model.GtidPosition;
import dev.warden.model.InstanceKey;
import java.time.Duration;

/**
 * Let the candidate apply everything it received completely (starting its SQL thread if it was stopped), bounded;
 * when the old primary was fenced while reachable, also everything it had then. Past the timeout the failover
 * stops before the promotion, unless {@code force}: then it goes on and the record names what is lost.
 *
 * @param received what the candidate had received when the plan was made
 * @param force    an operator accepted losing what the candidate cannot apply in time
 */
public record CatchUp(InstanceKey server, GtidPosition received, Duration timeout, boolean force) implements Step {

    public CatchUp(InstanceKey server, GtidPosition received, Duration timeout) {
        this(server, received, timeout, false);
    }

    @Override
    public String describe() {
        return "catch up " + server + ": apply its relay log (" + received + ")" + (force
                ? ", then go on even if it could not (forced)" : "");
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
