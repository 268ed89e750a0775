package dev.warden.logging;

import org.slf4j.MDC;

/** Names what the current thread works on (cluster, operation) in every log line it writes, JSON's fields. */
public final class LogContext implements AutoCloseable {

    private final String key;
    private final String previous;

    private LogContext(String key, String value) {
        this.key = key;
        this.previous = MDC.get(key);
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }

    /** Until closed, log lines of this thread carry {@code key = value}; closing puts back what was there. */
    public static LogContext with(String key, String value) {
        return new LogContext(key, value);
    }

    @Override
    public void close() {
        if (previous == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, previous);
        }
    }
}
