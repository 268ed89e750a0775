package dev.warden.plan;

import dev.warden.model.InstanceKey;
import java.time.Duration;

/**
 * Give a replica the source heartbeat period Warden needs to judge its silence (its IO thread restarts briefly;
 * the SQL thread is not touched where the server allows it). Done when the server reports the new period.
 *
 * @param channel the cluster's replication channel on that replica ("" for the default one)
 */
public record SetHeartbeatPeriod(InstanceKey server, String channel, Duration period, Duration timeout)
        implements Step {

    @Override
    public String describe() {
        return "set the heartbeat period of " + server + (channel.isEmpty() ? "" : " (channel '" + channel + "')")
                + " to " + period.toMillis() + " ms";
    }

    @Override
    public String precondition() {
        return server + " reachable, replicating with its IO thread running";
    }

    @Override
    public String kind() {
        return "heartbeat-period";
    }
}
