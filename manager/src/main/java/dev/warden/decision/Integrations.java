package dev.warden.decision;

import dev.warden.model.HookEvent;
import java.util.Set;

/** What a cluster is wired to: events that have hooks, and whether an HAProxy follows its primary. */
public record Integrations(Set<HookEvent> hooked, boolean haproxy) {

    public static final Integrations NONE = new Integrations(Set.of(), false);

    public Integrations {
        hooked = Set.copyOf(hooked);
    }

    public boolean hooks(HookEvent e) {
        return hooked.contains(e);
    }
}
