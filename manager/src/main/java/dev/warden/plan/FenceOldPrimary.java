package dev.warden.plan;

import dev.warden.model.InstanceKey;
import java.time.Duration;

/**
 * Make the old primary refuse writes (super_read_only on MySQL, read_only on MariaDB) and kill its client sessions.
 * When it cannot be reached within {@code reach} the step is recorded as pending (its death was confirmed) and the
 * fence is retried whenever it answers; once it answers, the fence must hold within {@code timeout} or the step
 * fails and nothing is promoted: a reachable primary is never replaced while it still takes writes.
 *
 * @param reach   how long to try reaching it (brief for a primary that did not answer the last probes)
 * @param timeout how long making it read-only may take once it answers (client sessions holding locks are killed)
 */
public record FenceOldPrimary(InstanceKey server, Duration reach, Duration timeout) implements Step {

    public FenceOldPrimary(InstanceKey server, Duration timeout) {
        this(server, timeout, timeout);
    }

    @Override
    public String describe() {
        return "fence " + server + ": read-only, kill client sessions";
    }

    @Override
    public String precondition() {
        return "none when it cannot be reached (it is fenced as soon as it answers); once it answers the fence must hold";
    }

    @Override
    public String kind() {
        return "fence";
    }
}
