package dev.warden.plan;

import dev.warden.model.HookEvent;
import dev.warden.model.InstanceKey;
import java.time.Duration;

/** Run the hooks configured for an event. On a pre_ event a failed gate hook fails the step (nothing changed yet). */
public record RunHooks(HookEvent event, InstanceKey server, Duration timeout) implements Step {

    @Override
    public String describe() {
        return "hooks for " + event.configName();
    }

    @Override
    public String precondition() {
        return "none";
    }

    @Override
    public String kind() {
        return "hooks";
    }
}
