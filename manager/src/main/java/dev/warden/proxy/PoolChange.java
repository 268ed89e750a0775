package dev.warden.proxy;

import dev.warden.model.InstanceKey;

/**
 * One change to make in HAProxy: a server slot of a backend becomes ready (with a weight) or goes to maintenance.
 *
 * @param server the cluster server the slot stands for
 * @param reason why, in a few words ("lag >=7.1s over 5s", "primary")
 */
public record PoolChange(String backend, String slot, InstanceKey server, boolean ready, int weight, String reason) {

    /** The runtime API commands that make it so. */
    public java.util.List<String> commands() {
        String target = backend + "/" + slot;
        return ready ? java.util.List.of("set server " + target + " weight " + weight, "set server " + target + " state ready")
                : java.util.List.of("set server " + target + " state maint");
    }
}
