package dev.warden.plan;

import dev.warden.model.InstanceKey;
import java.time.Duration;

/** After {@code grace}, kill the client sessions still open on a server (not replication, not Warden's own). */
public record KillClientSessions(InstanceKey server, Duration grace, Duration timeout) implements Step {

    @Override
    public String describe() {
        return "kill client sessions on " + server + " after " + grace.toMillis() + " ms";
    }

    @Override
    public String precondition() {
        return server + " reachable and read-only";
    }

    @Override
    public String kind() {
        return "kill-sessions";
    }
}
