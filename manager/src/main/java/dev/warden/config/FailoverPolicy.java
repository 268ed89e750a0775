package dev.warden.config;

import java.time.Duration;

/**
 * How failover decides and acts (config section {@code failover}).
 *
 * @param automatic          fail over without a human when a dead primary is confirmed
 * @param confirmationWindow how long the manager must fail to reach the primary before replicas' votes count
 * @param replicaSilence     a replica whose IO thread received nothing for longer than this confirms the primary is gone
 * @param maxCandidateLag    a replica further behind than this is not promoted (catching up would take too long)
 * @param lagWarning         a replica further behind than this is reported as lagging
 * @param antiFlap           after a failover, no automatic failover on the cluster for this long unless acknowledged
 * @param rejoinOldPrimary   an old primary that comes back with nothing the new primary lacks rejoins as a replica
 * @param fenceTimeout       bound on fencing the old primary (read-only, kill sessions) during a failover
 * @param catchUpTimeout     bound on the candidate applying what it received
 * @param promoteTimeout     bound on stopping replication and making the candidate writable
 * @param repointTimeout     bound on re-pointing one replica and seeing both its threads run
 * @param retryInterval      after an automatic failover stopped before promoting anyone, the next automatic attempt
 *                           waits this long (a person can ask at any time)
 * @param observe            {@code mode: observe}: watch, decide and record what it would do, and change nothing on
 *                           any server (no step, no heartbeat write, no hook, no proxy change)
 */
public record FailoverPolicy(boolean automatic, Duration confirmationWindow, Duration replicaSilence,
                             Duration maxCandidateLag, Duration lagWarning, Duration antiFlap, boolean rejoinOldPrimary,
                             Duration fenceTimeout, Duration catchUpTimeout, Duration promoteTimeout,
                             Duration repointTimeout, Duration retryInterval, boolean observe) {

    /** Acting (not in observe mode). */
    public FailoverPolicy(boolean automatic, Duration confirmationWindow, Duration replicaSilence,
                          Duration maxCandidateLag, Duration lagWarning, Duration antiFlap, boolean rejoinOldPrimary,
                          Duration fenceTimeout, Duration catchUpTimeout, Duration promoteTimeout,
                          Duration repointTimeout, Duration retryInterval) {
        this(automatic, confirmationWindow, replicaSilence, maxCandidateLag, lagWarning, antiFlap, rejoinOldPrimary,
                fenceTimeout, catchUpTimeout, promoteTimeout, repointTimeout, retryInterval, false);
    }

    /** Why nothing may change on a server, or null when acting is allowed. */
    public String observeOnly() {
        return observe ? "failover.mode is observe: Warden watches, decides and records, and changes nothing" : null;
    }

    public FailoverPolicy(boolean automatic, Duration confirmationWindow, Duration replicaSilence,
                          Duration maxCandidateLag, Duration lagWarning, Duration antiFlap, boolean rejoinOldPrimary,
                          Duration fenceTimeout, Duration catchUpTimeout, Duration promoteTimeout,
                          Duration repointTimeout) {
        this(automatic, confirmationWindow, replicaSilence, maxCandidateLag, lagWarning, antiFlap, rejoinOldPrimary,
                fenceTimeout, catchUpTimeout, promoteTimeout, repointTimeout, Duration.ofSeconds(30));
    }

    public static FailoverPolicy defaults(Duration heartbeatPeriod) {
        return new FailoverPolicy(true, Duration.ofMillis(200), heartbeatPeriod.multipliedBy(3), Duration.ofSeconds(60),
                Duration.ofSeconds(10), Duration.ofMinutes(10), true, Duration.ofSeconds(1), Duration.ofSeconds(30),
                Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(30));
    }
}
