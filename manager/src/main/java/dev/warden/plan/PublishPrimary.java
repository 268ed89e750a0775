package dev.warden.plan;

import dev.warden.model.InstanceKey;
import java.time.Duration;

/**
 * Publish {@code server} as the cluster's primary in the configured key-value stores (ZooKeeper, etcd), guarded by
 * the leadership epoch. {@code gate}: written before the promotion, and the operation stops when it fails; else
 * after it, and a failure is recorded while the operation goes on (later cycles repair the stores).
 */
public record PublishPrimary(InstanceKey server, Duration timeout, boolean gate) implements Step {

    @Override
    public String describe() {
        return "publish " + server + " as the primary in the key-value stores" + (gate ? "" : " (best effort)");
    }

    @Override
    public String precondition() {
        return gate ? server + " caught up and the old primary fenced" : server + " writable";
    }

    @Override
    public String kind() {
        return "publish";
    }
}
