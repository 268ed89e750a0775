package dev.warden.bench.chaos;

import java.time.Duration;
import java.util.List;
import java.util.Random;

/**
 * One round's parameters, all drawn from the round's own seed (campaign seed and round number), so that a round is
 * replayed exactly with {@code --seed S --from-round R --rounds 1}.
 *
 * @param busy           the application writes through the fault (else it pauses just before: a quiet primary)
 * @param longHeartbeat  the replicas keep the servers' default heartbeat period (30 s) when the manager starts
 * @param enforce        replication.enforce_heartbeat_period (Warden gives them 500 ms); off in some rounds
 * @param drop           a partition drops packets (timeouts) rather than refusing connections
 * @param length         how long the fault lasts (a hang, a partition, a lock, a store outage)
 * @param delay          a second timing: when the manager dies after the primary, when a lock goes, ...
 * @param restartAfter   when a killed server is started again (after the fault began)
 * @param target         which replica a replica fault hits (0 or 1), or -1 for both
 * @param ftwrl          SWITCHOVER_LOCKED: FLUSH TABLES WITH READ LOCK instead of LOCK TABLES ... WRITE
 */
record RoundPlan(long seed, int round, FaultKind kind, boolean busy, boolean longHeartbeat, boolean enforce,
                 boolean drop, Duration length, Duration delay, Duration restartAfter, int target, boolean ftwrl) {

    static RoundPlan draw(long campaignSeed, int round, List<FaultKind> kinds) {
        long seed = campaignSeed * 1_000_003L + round;
        Random r = new Random(seed);
        FaultKind kind = kinds.get(Math.floorMod(round - 1 + (int) (campaignSeed % kinds.size()), kinds.size()));
        boolean busy = r.nextInt(3) != 0;
        boolean longHeartbeat = r.nextBoolean();
        boolean enforce = !longHeartbeat || r.nextInt(4) != 0;
        boolean drop = r.nextBoolean();
        Duration length = switch (kind) {
            case STOP_PRIMARY -> ms(r, 400, 6000);
            case STOP_REPLICA -> ms(r, 1000, 6000);
            case MANAGER_PARTITION -> ms(r, 1000, 10_000);
            case REPLICA_PARTITION -> ms(r, 1000, 8000);
            case ISOLATE_PRIMARY -> ms(r, 1000, 5000);
            case SLOW_APPLY -> ms(r, 500, 5000);
            case SWITCHOVER_LOCKED -> ms(r, 1500, 5000);
            case CREDENTIALS -> ms(r, 2000, 8000);
            case STORE_OUTAGE -> ms(r, 2000, 6000);
            default -> Duration.ZERO;
        };
        Duration delay = switch (kind) {
            case MANAGER_KILL -> ms(r, 0, 1500);
            case SLOW_APPLY, STORE_OUTAGE -> ms(r, 0, 500);
            default -> ms(r, 0, 300);
        };
        Duration restartAfter = ms(r, 2000, 7000);
        int target = kind == FaultKind.REPLICA_PARTITION ? r.nextInt(3) - 1 : r.nextInt(2);
        return new RoundPlan(seed, round, kind, busy, longHeartbeat, enforce, drop, length, delay, restartAfter,
                target, r.nextBoolean());
    }

    private static Duration ms(Random r, int from, int to) {
        return Duration.ofMillis(from + r.nextInt(Math.max(1, to - from)));
    }

    /** "round 7 (seed 123): stop-primary 2.345 s, busy, 30 s heartbeats (enforced)". */
    String describe() {
        StringBuilder b = new StringBuilder("round " + round + " (seed " + seed + "): " + kind.cliName());
        if (!length.isZero()) {
            b.append(String.format(java.util.Locale.ROOT, " %.3f s", length.toMillis() / 1000.0));
        }
        b.append(busy ? ", busy" : ", quiet");
        b.append(longHeartbeat ? ", 30 s heartbeats" + (enforce ? " (enforced)" : " (left alone)") : "");
        if (kind.needsNetfilter && kind != FaultKind.ISOLATE_PRIMARY) {
            b.append(drop ? ", dropped" : ", refused");
        }
        return b.toString();
    }
}
