package dev.warden.plan;

import dev.warden.model.InstanceKey;
import java.time.Duration;

/** Undo of a switchover: the old primary takes writes again. */
public record MakeWritable(InstanceKey server, Duration timeout) implements Step {

    @Override
    public String describe() {
        return "make " + server + " writable again";
    }

    @Override
    public String precondition() {
        return server + " reachable and replicating from nobody";
    }

    @Override
    public String kind() {
        return "writable";
    }
}
