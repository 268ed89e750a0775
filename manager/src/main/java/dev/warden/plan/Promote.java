package dev.warden.plan;

import dev.warden.model.InstanceKey;
import java.time.Duration;

/** Stop and forget replication on the candidate and make it writable: the new primary. */
public record Promote(InstanceKey server, Duration timeout) implements Step {

    @Override
    public String describe() {
        return "promote " + server + ": stop and reset replication, make writable";
    }

    @Override
    public String precondition() {
        return server + " reachable and no other server writable";
    }

    @Override
    public String kind() {
        return "promote";
    }
}
