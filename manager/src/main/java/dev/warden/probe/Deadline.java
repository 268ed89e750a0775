package dev.warden.probe;

import java.time.Duration;

/** A point in monotonic time by which something must be done. */
public final class Deadline {

    private final long endNanos;

    private Deadline(long endNanos) {
        this.endNanos = endNanos;
    }

    public static Deadline after(Duration d) {
        return new Deadline(System.nanoTime() + d.toNanos());
    }

    public long remainingNanos() {
        return endNanos - System.nanoTime();
    }

    /** Remaining whole milliseconds, at least 1 (0 would mean "no timeout" to JDBC). */
    public int remainingMillisAtLeastOne() {
        long ms = remainingNanos() / 1_000_000;
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, ms));
    }

    public boolean expired() {
        return remainingNanos() <= 0;
    }
}
