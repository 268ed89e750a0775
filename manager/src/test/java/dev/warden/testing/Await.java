package dev.warden.testing;

import java.time.Duration;
import java.util.function.Supplier;

/** Waits for a condition with a deadline; fails with the last observed value. No sleep-and-hope. */
public final class Await {

    private Await() {
    }

    public static <T> T until(String what, Duration timeout, Supplier<T> probe, java.util.function.Predicate<T> done) {
        long end = System.nanoTime() + timeout.toNanos();
        T last = null;
        RuntimeException lastError = null;
        while (true) {
            try {
                last = probe.get();
                lastError = null;
                if (done.test(last)) {
                    return last;
                }
            } catch (RuntimeException e) {
                lastError = e;
            }
            if (System.nanoTime() > end) {
                AssertionError err = new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for "
                        + what + "; last seen: " + last);
                if (lastError != null) {
                    err.initCause(lastError);
                }
                throw err;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }
}
