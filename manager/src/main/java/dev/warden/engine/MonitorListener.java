package dev.warden.engine;

import dev.warden.actions.Operation;

/** What the console stream and the metrics follow: every cycle of every cluster, every change of an operation. */
public interface MonitorListener {

    MonitorListener NONE = new MonitorListener() {
    };

    /** A cycle ended; called from the cluster's thread: return quickly. */
    default void cycled(ClusterMonitor cluster, ClusterMonitor.Cycle cycle) {
    }

    /** An operation started, a step started or ended, hooks ran, or it ended. */
    default void operationChanged(Operation op) {
    }
}
