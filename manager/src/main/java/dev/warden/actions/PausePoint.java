package dev.warden.actions;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Test-only: started with {@code -Dwarden.test.pause-at=POINT}, the first operation thread to reach POINT (for
 * example {@code opened}, {@code before:promote} (its start recorded), {@code ran:promote} (done on the server,
 * not recorded), {@code after:promote} (its end recorded), {@code finish} (before the operation's end is recorded), {@code finished}
 * (after it, before what follows from it is kept)) prints a marker line
 * and blocks forever, so that a crash test can kill -9 the manager exactly at that step boundary; with
 * {@code -Dwarden.test.pause-release=FILE}, only until FILE exists (a manager paused mid-operation, then let go).
 * Without the property this does nothing.
 */
public final class PausePoint {

    private static final Logger log = LoggerFactory.getLogger(PausePoint.class);
    /** The line a test waits for, followed by the point and the operation id. */
    public static final String MARKER = "WARDEN-TEST-PAUSED";
    private static final AtomicBoolean USED = new AtomicBoolean();

    private PausePoint() {
    }

    public static void reached(String point, String operationId) {
        String at = System.getProperty("warden.test.pause-at");
        if (at == null || !at.equals(point) || !USED.compareAndSet(false, true)) {
            return;
        }
        String release = System.getProperty("warden.test.pause-release");
        log.warn("Test pause point {} reached in {}: blocking here until {}.", point, operationId,
                release == null ? "the process is killed" : release + " exists");
        System.out.println(MARKER + " " + point + " " + operationId);
        System.out.flush();
        while (release != null) {
            if (java.nio.file.Files.exists(java.nio.file.Path.of(release))) {
                log.warn("Test pause point {} released in {}.", point, operationId);
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                // keep blocking until released
            }
        }
        while (true) {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                // keep blocking: the point is to be killed here
            }
        }
    }
}
