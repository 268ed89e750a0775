package dev.warden.bench.chaos;

import java.util.Locale;

/**
 * The campaign's catalogue of faults. Each says whether a failover may follow it: only a primary that is really dead,
 * hung or isolated (past the policy's windows) may be replaced.
 */
enum FaultKind {
    /** kill -9 of the primary; it is started again later, as a DBA would. */
    KILL_PRIMARY(true, false),
    /** SIGSTOP of the primary for 0.4-6 s, then SIGCONT: a hang that may or may not outlast the windows. */
    STOP_PRIMARY(true, false),
    /** kill -9 of a replica, started again later. */
    KILL_REPLICA(false, false),
    /** SIGSTOP of a replica for 1-6 s. */
    STOP_REPLICA(false, false),
    /** Only the manager is cut off from the primary (dropped or refused) for 1-10 s. */
    MANAGER_PARTITION(false, true),
    /** The replicas (one or both) are cut off from the primary for 1-8 s; the manager still reaches it. */
    REPLICA_PARTITION(false, true),
    /** Nobody reaches the primary for 1-5 s (every round has a fence hook: STONITH). */
    ISOLATE_PRIMARY(true, true),
    /** The most advanced replica cannot apply (a table lock) while the primary is killed; the lock goes later. */
    SLOW_APPLY(true, false),
    /** A client holds a table lock or a global read lock on the primary while a switchover is asked for. */
    SWITCHOVER_LOCKED(false, false),
    /** The replication password changes on the primary (replicas refused) while the manager is cut off. */
    CREDENTIALS(false, true),
    /** The primary is killed and the manager with it (kill -9) at a random point of the failover, then restarted. */
    MANAGER_KILL(true, false),
    /** The primary is killed while a post_failover hook answers its headers and then stalls. */
    STALLED_HOOK(true, false),
    /** The primary is killed while the manager's store (a MySQL server) hangs for 2-6 s. */
    STORE_OUTAGE(true, false);

    /** Whether a failover may follow (the primary is dead, hung or isolated during the fault). */
    final boolean failoverAllowed;
    /** Whether the fault needs iptables and cgroups. */
    final boolean needsNetfilter;

    FaultKind(boolean failoverAllowed, boolean needsNetfilter) {
        this.failoverAllowed = failoverAllowed;
        this.needsNetfilter = needsNetfilter;
    }

    String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static FaultKind parse(String text) {
        for (FaultKind k : values()) {
            if (k.cliName().equals(text.trim().toLowerCase(Locale.ROOT)) || k.name().equalsIgnoreCase(text.trim())) {
                return k;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a fault; faults are "
                + String.join(", ", java.util.Arrays.stream(values()).map(FaultKind::cliName).toList()));
    }
}
