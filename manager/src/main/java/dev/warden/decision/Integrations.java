package dev.warden.decision;

import dev.warden.model.HookEvent;
import java.util.Set;

/**
 * What a cluster is wired to: events that have hooks, whether an HAProxy follows its primary, and the heartbeat
 * period Warden gives replicas whose own is too long (null when it leaves them alone).
 */
public record Integrations(Set<HookEvent> hooked, boolean haproxy, java.time.Duration enforcedHeartbeatPeriod) {

    public static final Integrations NONE = new Integrations(Set.of(), false, null);

    public Integrations {
        hooked = Set.copyOf(hooked);
    }

    public Integrations(Set<HookEvent> hooked, boolean haproxy) {
        this(hooked, haproxy, null);
    }

    public boolean hooks(HookEvent e) {
        return hooked.contains(e);
    }
}
