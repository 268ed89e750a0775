package dev.warden.plan;

import dev.warden.model.InstanceKey;
import java.time.Duration;

/** Point a replica at a new source with GTID auto-positioning; done when both its threads run. */
public record Repoint(InstanceKey server, InstanceKey newSource, Duration timeout) implements Step {

    @Override
    public String describe() {
        return "re-point " + server + " to " + newSource;
    }

    @Override
    public String precondition() {
        return server + " reachable and read-only, " + newSource + " writable";
    }

    @Override
    public String kind() {
        return "re-point";
    }
}
