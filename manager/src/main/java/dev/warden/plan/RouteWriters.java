package dev.warden.plan;

import dev.warden.model.InstanceKey;
import java.time.Duration;

/** Point the proxy's writer backend at the new primary, and close sessions still open to the old one. */
public record RouteWriters(InstanceKey server, Duration timeout) implements Step {

    @Override
    public String describe() {
        return "route writes to " + server + " in HAProxy";
    }

    @Override
    public String precondition() {
        return server + " writable";
    }

    @Override
    public String kind() {
        return "route-writers";
    }
}
