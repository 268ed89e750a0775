package dev.warden.plan;

import dev.warden.model.InstanceKey;
import java.time.Duration;

/**
 * Point a replica at a new source with GTID auto-positioning; done when both its threads run. The manager reaches
 * the new source at {@code newSource}; the replica is given {@code sourceAddress}, the address replicas reach it at
 * (its report_host:report_port, else its configured address), which differs when the manager goes through other
 * routes (proxies, other names).
 */
public record Repoint(InstanceKey server, InstanceKey newSource, InstanceKey sourceAddress, Duration timeout)
        implements Step {

    public Repoint {
        sourceAddress = sourceAddress == null ? newSource : sourceAddress;
    }

    public Repoint(InstanceKey server, InstanceKey newSource, Duration timeout) {
        this(server, newSource, newSource, timeout);
    }

    @Override
    public String describe() {
        return "re-point " + server + " to " + newSource + (sourceAddress.equals(newSource) ? ""
                : " (as " + sourceAddress + ")");
    }

    @Override
    public String precondition() {
        return server + " reachable and read-only, " + newSource + " writable";
    }

    @Override
    public String kind() {
        return "re-point";
    }
}
