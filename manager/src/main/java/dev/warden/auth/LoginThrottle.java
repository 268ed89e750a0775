package dev.warden.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down password guessing: after {@value #FREE} failed logins for a user name, or from an address, each
 * further attempt must wait twice as long as the one before (1 s, 2 s, 4 s ... at most 5 minutes). A success
 * clears the count for that name and address. Pure: time is passed in.
 */
public final class LoginThrottle {

    static final int FREE = 3;
    static final Duration MAX = Duration.ofMinutes(5);

    private record Failures(int count, Instant last) {
    }

    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    /** How long the caller must still wait before trying, if at all. */
    public Optional<Duration> wait(String user, String address, Instant now) {
        Duration w = max(waitFor("user:" + user, now), waitFor("addr:" + address, now));
        return w.isZero() ? Optional.empty() : Optional.of(w);
    }

    public void failed(String user, String address, Instant now) {
        for (String k : new String[] {"user:" + user, "addr:" + address}) {
            failures.merge(k, new Failures(1, now), (a, b) -> new Failures(a.count() + 1, now));
        }
        if (failures.size() > 10_000) {
            failures.entrySet().removeIf(e -> Duration.between(e.getValue().last(), now).compareTo(MAX) > 0);
        }
    }

    public void succeeded(String user, String address) {
        failures.remove("user:" + user);
        failures.remove("addr:" + address);
    }

    private Duration waitFor(String key, Instant now) {
        Failures f = failures.get(key);
        if (f == null || f.count() < FREE) {
            return Duration.ZERO;
        }
        Duration penalty = Duration.ofSeconds(1L << Math.min(f.count() - FREE, 9));
        if (penalty.compareTo(MAX) > 0) {
            penalty = MAX;
        }
        Duration left = Duration.between(now, f.last().plus(penalty));
        return left.isNegative() ? Duration.ZERO : left;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
