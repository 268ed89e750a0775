package dev.warden.plan;

import dev.warden.model.InstanceKey;
import java.time.Duration;

/** Stop writes on the primary being replaced (super_read_only on MySQL, read_only on MariaDB). */
public record MakeReadOnly(InstanceKey server, Duration timeout) implements Step {

    @Override
    public String describe() {
        return "make " + server + " read-only";
    }

    @Override
    public String precondition() {
        return server + " reachable";
    }

    @Override
    public String kind() {
        return "read-only";
    }
}
