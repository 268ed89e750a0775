package dev.warden.decision;

import dev.warden.model.HookEvent;
import java.util.Set;

/**
 * What a cluster is wired to: events that have hooks, whether an HAProxy follows its primary, the heartbeat
 * period Warden gives replicas whose own is too long (null when it leaves them alone), and the key-value stores
 * its primary is published to (null when none).
 */
public record Integrations(Set<HookEvent> hooked, boolean haproxy, java.time.Duration enforcedHeartbeatPeriod,
                           Kv kv) {

    public static final Integrations NONE = new Integrations(Set.of(), false, null, null);

    /** @param gate written before the promotion, and a failure stops the operation; @param timeout the step's */
    public record Kv(boolean gate, java.time.Duration timeout) {
    }

    public Integrations {
        hooked = Set.copyOf(hooked);
    }

    public Integrations(Set<HookEvent> hooked, boolean haproxy, java.time.Duration enforcedHeartbeatPeriod) {
        this(hooked, haproxy, enforcedHeartbeatPeriod, null);
    }

    public Integrations(Set<HookEvent> hooked, boolean haproxy) {
        this(hooked, haproxy, null, null);
    }

    public boolean hooks(HookEvent e) {
        return hooked.contains(e);
    }
}
