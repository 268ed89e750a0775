package dev.warden.bench.chaos;

import dev.warden.actions.Operation;
import dev.warden.actions.StepRecord;
import dev.warden.bench.ServerObserver.Sample;
import dev.warden.model.GtidPosition;
import dev.warden.plan.PlanKind;
import dev.warden.plan.Promote;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The safety invariants, checked against a round's ground truth ({@link Evidence}). Pure: each returns the violations
 * it finds, as sentences that say what the servers showed and when.
 * <ol>
 * <li>Never two servers accepting writes: no look of the observer sees two writable servers that replicate from
 * nobody, and no row was committed by a server after another one had been promoted in its place.</li>
 * <li>No acknowledged row missing from the final primary, unless only the old primary holds it and Warden keeps that
 * server out saying so (the unshipped tail of asynchronous replication); and no transaction a survivor had received
 * before a promotion missing from the final primary.</li>
 * <li>A failover only when the primary really was dead, hung or isolated past the policy's windows.</li>
 * <li>Every record agrees with the servers (a promotion it reports was seen, one it denies was not, a rollback left
 * the old primary writable).</li>
 * </ol>
 * Convergence (one writable primary, every other server attached) is checked by the round itself, with its deadline.
 */
final class Invariants {

    /** How far apart two looks may be and still count as "at the same time". */
    static final Duration SAME_MOMENT = Duration.ofMillis(15);
    /** Slack for comparing a server's commit time with the observer's looks (one sampling step and then some). */
    static final Duration SLACK = Duration.ofMillis(60);

    private Invariants() {
    }

    static List<String> check(Evidence e, Duration silenceLimit, Duration heartbeatPeriod) {
        List<String> out = new ArrayList<>();
        out.addAll(oneWriter(e));
        out.addAll(writesOnlyOnThePrimary(e));
        out.addAll(nothingAcknowledgedLost(e));
        out.addAll(nothingReceivedThrownAway(e));
        out.addAll(failoversJustified(e, silenceLimit, heartbeatPeriod));
        out.addAll(recordsAgree(e));
        return out;
    }

    // ---- 1. one writer --------------------------------------------------------------------------------

    static boolean writableRoot(Sample s) {
        return s.reachable() && s.writable() && s.sourcePort() == 0;
    }

    /** The observer's looks, merged in time order: (time, server) for every writable-root look. */
    static List<String> oneWriter(Evidence e) {
        List<String> out = new ArrayList<>();
        TreeMap<Instant, String> writable = new TreeMap<>();
        e.samples().forEach((name, list) -> list.stream().filter(Invariants::writableRoot)
                .forEach(s -> writable.put(s.at(), name)));
        Instant last = null;
        for (var entry : writable.entrySet()) {
            // Another server writable within the same moment, and not writable-then-read-only handover: both looks.
            var near = writable.subMap(entry.getKey().minus(SAME_MOMENT), true, entry.getKey().plus(SAME_MOMENT), true);
            long servers = near.values().stream().distinct().count();
            if (servers > 1 && (last == null || Duration.between(last, entry.getKey()).toSeconds() >= 1)) {
                if (stillWritableBoth(e, near.values().stream().distinct().toList(), entry.getKey())) {
                    out.add("two servers accepted writes at " + entry.getKey() + ": " + near.values().stream().distinct()
                            .toList());
                    last = entry.getKey();
                }
            }
        }
        return out;
    }

    /** Both servers were seen writable roots at looks bracketing {@code t} (not one read-only look in between). */
    private static boolean stillWritableBoth(Evidence e, List<String> names, Instant t) {
        for (String n : names) {
            Optional<Sample> before = e.samples().get(n).stream().filter(s -> !s.at().isAfter(t.plus(SAME_MOMENT))
                    && !s.at().isBefore(t.minus(SAME_MOMENT))).reduce((a, b) -> b);
            if (before.isEmpty() || !writableRoot(before.get())) {
                return false;
            }
        }
        return true;
    }

    /**
     * When each server was the one writable root: its first writable-root look after another server's (a
     * promotion), per the observer. Returns (start of being primary, server), in order.
     */
    static TreeMap<Instant, String> primaries(Evidence e) {
        return primaries(e, true);
    }

    /** @param records also Warden's records of when promotions took effect (else the observer's looks only) */
    static TreeMap<Instant, String> primaries(Evidence e, boolean records) {
        TreeMap<Instant, String> looks = new TreeMap<>();
        e.samples().forEach((name, list) -> list.stream().filter(Invariants::writableRoot)
                .forEach(s -> looks.put(s.at(), name)));
        // A promotion takes effect when Warden's record says (read_only turned off), which may be a look or two
        // before the observer sees it: a write the new primary took in between is no write to a replaced primary.
        for (Operation op : records ? e.operations() : List.<Operation>of()) {
            Instant at = promotedAt(op);
            if (at != null && op.plan().candidate() != null) {
                looks.put(at, nameOfKey(e, op.plan().candidate()));
            }
        }
        TreeMap<Instant, String> out = new TreeMap<>();
        String current = null;
        for (var l : looks.entrySet()) {
            if (!l.getValue().equals(current)) {
                out.put(l.getKey(), l.getValue());
                current = l.getValue();
            }
        }
        return out;
    }

    /** A row committed by a server after another server had been promoted in its place (a write to an old primary). */
    static List<String> writesOnlyOnThePrimary(Evidence e) {
        List<String> out = new ArrayList<>();
        TreeMap<Instant, String> primaries = primaries(e);
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (var server : e.rows().entrySet()) {
            for (var row : server.getValue().entrySet()) {
                if (!seen.add(row.getKey()) || row.getValue().at() == null) {
                    continue;
                }
                String by = e.nameOf(row.getValue().srv());
                var then = primaries.floorEntry(row.getValue().at().minus(SLACK));
                if (then != null && !then.getValue().equals(by)
                        && primaries.floorEntry(row.getValue().at().plus(SLACK)).getValue().equals(then.getValue())) {
                    out.add("row " + row.getKey() + " was committed by " + by + " at " + row.getValue().at() + ", after "
                            + then.getValue() + " had become the primary at " + then.getKey());
                }
            }
        }
        return out.size() > 5 ? List.of(out.get(0), out.size() + " rows in all were committed by a replaced primary")
                : out;
    }

    // ---- 2. nothing lost ------------------------------------------------------------------------------

    /** Acknowledged rows the final primary lacks: allowed only as the old primary's unshipped tail, named. */
    static List<String> nothingAcknowledgedLost(Evidence e) {
        if (e.finalPrimary() == null) {
            return List.of(); // the round reports that it did not converge
        }
        Map<Long, Evidence.Row> there = e.rows().getOrDefault(e.finalPrimary(), Map.of());
        List<String> out = new ArrayList<>();
        for (long id : e.acknowledged()) {
            if (there.containsKey(id)) {
                continue;
            }
            List<String> holders = e.rows().entrySet().stream().filter(r -> r.getValue().containsKey(id))
                    .map(Map.Entry::getKey).toList();
            boolean tail = holders.size() == 1 && holders.get(0).equals(e.original())
                    && e.heldOut().containsKey(e.original());
            if (!tail) {
                out.add("acknowledged row " + id + " is not on the final primary " + e.finalPrimary() + " (it is on "
                        + (holders.isEmpty() ? "no server" : holders) + ")");
            }
        }
        return out.size() > 5 ? List.of(out.get(0), out.size() + " acknowledged rows in all are missing") : out;
    }

    /** The acknowledged rows only a held-out old primary has: lost to asynchronous replication, and named. */
    static long unshippedTail(Evidence e) {
        if (e.finalPrimary() == null) {
            return 0;
        }
        Map<Long, Evidence.Row> there = e.rows().getOrDefault(e.finalPrimary(), Map.of());
        return e.acknowledged().stream().filter(id -> !there.containsKey(id)).count();
    }

    /**
     * Every transaction a surviving replica had received completely before a failover's promotion is on the final
     * primary, unless the failover's record names it as lost (a forced catch-up, a replica left behind).
     */
    static List<String> nothingReceivedThrownAway(Evidence e) {
        if (e.finalPrimary() == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        Optional<Sample> last = last(e.samples().get(e.finalPrimary()));
        if (last.isEmpty() || last.get().executed() == null) {
            return out;
        }
        GtidPosition end = GtidPosition.parse(e.flavor(), last.get().executed());
        for (Operation op : e.operations()) {
            Instant promoted = promotedAt(op);
            if (op.plan().kind() != PlanKind.FAILOVER || promoted == null || op.lost() != null
                    || !op.plan().leftBehind().isEmpty()) {
                continue;
            }
            for (var s : e.samples().entrySet()) {
                if (s.getKey().equals(e.original())) {
                    continue;
                }
                Optional<Sample> before = s.getValue().stream().filter(x -> x.at().isBefore(promoted)
                        && x.received() != null).reduce((a, b) -> b);
                if (before.isEmpty()) {
                    continue;
                }
                GtidPosition got = GtidPosition.parse(e.flavor(), before.get().received());
                if (!end.contains(got)) {
                    out.add(s.getKey() + " had received " + got + " before " + op.id() + " promoted at " + promoted
                            + ", and the final primary " + e.finalPrimary() + " lacks " + end.missingFrom(got)
                            + " of it");
                }
            }
        }
        return out;
    }

    static Optional<Sample> last(List<Sample> samples) {
        if (samples == null) {
            return Optional.empty();
        }
        return samples.stream().filter(Sample::reachable).reduce((a, b) -> b);
    }

    static Instant promotedAt(Operation op) {
        for (StepRecord r : op.steps()) {
            if (r.step() instanceof Promote && r.status().holds()) {
                return r.effectiveAt() != null ? r.effectiveAt() : r.endedAt() != null ? r.endedAt() : op.startedAt();
            }
        }
        return null;
    }

    // ---- 3. failovers justified -----------------------------------------------------------------------

    /**
     * A failover may start only while the primary is dead, hung or isolated (kill: from the kill until it is started
     * again; hang or isolation: one probe cycle after it ended at the latest, and only when it lasted long enough for
     * the replicas' silence to mean anything).
     */
    static List<String> failoversJustified(Evidence e, Duration silenceLimit, Duration heartbeatPeriod) {
        List<String> out = new ArrayList<>();
        for (Operation op : e.operations()) {
            if (op.plan().kind() != PlanKind.FAILOVER || !op.startedBy().equals("automatic")) {
                continue;
            }
            String why = justification(e, op.startedAt(), silenceLimit, heartbeatPeriod);
            if (why != null) {
                out.add("failover " + op.id() + " started at " + op.startedAt() + " (" + op.plan().trigger() + "): "
                        + why);
            }
        }
        return out;
    }

    /** Why a failover starting at {@code t} is not justified, or null when it is. */
    static String justification(Evidence e, Instant t, Duration silenceLimit, Duration heartbeatPeriod) {
        FaultKind k = kindOf(e);
        if (k == null || !k.failoverAllowed) {
            return "nothing made the primary dead, hung or isolated in this round (" + (k == null ? "?" : k.cliName())
                    + ")";
        }
        if (t.isBefore(e.faultStart())) {
            return "it started before the fault (" + e.faultStart() + ")";
        }
        boolean hang = k == FaultKind.STOP_PRIMARY || k == FaultKind.ISOLATE_PRIMARY;
        if (hang) {
            Duration needed = silenceLimit.minus(heartbeatPeriod);
            if (e.faultLength().compareTo(needed) < 0) {
                return "the primary was out for only " + ms(e.faultLength()) + ", shorter than the replicas' silence "
                        + "limit allows to notice (" + ms(needed) + ")";
            }
            if (t.isAfter(e.faultEnd().plusSeconds(1))) {
                return "it started " + ms(Duration.between(e.faultEnd(), t)) + " after the primary was back";
            }
        }
        return null;
    }

    static FaultKind kindOf(Evidence e) {
        return e.kind();
    }

    // ---- 4. records agree -----------------------------------------------------------------------------

    static List<String> recordsAgree(Evidence e) {
        List<String> out = new ArrayList<>();
        for (Operation op : e.operations()) {
            PlanKind kind = op.plan().kind();
            if (kind != PlanKind.FAILOVER && kind != PlanKind.SWITCHOVER) {
                continue;
            }
            String candidate = nameOfKey(e, op.plan().candidate());
            String old = nameOfKey(e, op.plan().oldPrimary());
            Instant promoted = promotedAt(op);
            Instant end = op.endedAt() == null ? op.startedAt().plusSeconds(60) : op.endedAt();
            boolean seenWritable = candidate != null && e.samples().getOrDefault(candidate, List.of()).stream()
                    .anyMatch(s -> !s.at().isBefore(op.startedAt()) && writableRoot(s));
            if (promoted != null && !seenWritable) {
                out.add(op.id() + " records " + op.plan().candidate() + " promoted, but it was never seen writable");
            }
            if (promoted == null && candidate != null && e.samples().getOrDefault(candidate, List.of()).stream()
                    .anyMatch(s -> !s.at().isBefore(op.startedAt()) && !s.at().isAfter(end.plusSeconds(1))
                            && writableRoot(s))) {
                out.add(op.id() + " records no promotion (" + op.outcome() + "), but " + op.plan().candidate()
                        + " was seen writable during it");
            }
            if (op.outcome() == Operation.Outcome.ROLLED_BACK) {
                boolean oldBack = old != null && e.samples().getOrDefault(old, List.of()).stream()
                        .anyMatch(s -> !s.at().isBefore(end) && writableRoot(s));
                if (!oldBack) {
                    out.add(op.id() + " records a rollback, but " + op.plan().oldPrimary() + " was not seen writable "
                            + "after it");
                }
                if (!op.summary().contains("Verified afterwards")) {
                    out.add(op.id() + " rolled back without verifying the servers: " + op.summary());
                }
            }
        }
        return out;
    }

    static String nameOfKey(Evidence e, dev.warden.model.InstanceKey k) {
        return k == null ? null : e.nameOf(k.port());
    }

    static String ms(Duration d) {
        return String.format(Locale.ROOT, "%.3f s", d.toMillis() / 1000.0);
    }
}
