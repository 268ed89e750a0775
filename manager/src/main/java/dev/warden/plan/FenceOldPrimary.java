package dev.warden.plan;

import dev.warden.model.InstanceKey;
import java.time.Duration;

/**
 * Make the old primary refuse writes (super_read_only on MySQL, read_only on MariaDB) and kill its client
 * sessions. When it cannot be reached the step is recorded as pending and retried every cycle until it holds.
 */
public record FenceOldPrimary(InstanceKey server, Duration timeout) implements Step {

    @Override
    public String describe() {
        return "fence " + server + ": read-only, kill client sessions";
    }

    @Override
    public String precondition() {
        return "none (best effort: an unreachable old primary is fenced as soon as it answers)";
    }

    @Override
    public String kind() {
        return "fence";
    }
}
