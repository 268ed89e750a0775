package dev.warden.model;

import java.util.Locale;

/** A replication thread as {@code SHOW REPLICA STATUS} reports it. */
public enum ThreadState {
    RUNNING,
    /** IO thread trying to (re)connect to its source. */
    CONNECTING,
    STOPPED,
    UNKNOWN;

    /** Reads {@code Yes}, {@code No}, {@code Connecting}; anything else is UNKNOWN. */
    public static ThreadState parse(String text) {
        if (text == null) {
            return UNKNOWN;
        }
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "yes" -> RUNNING;
            case "connecting" -> CONNECTING;
            case "no" -> STOPPED;
            default -> UNKNOWN;
        };
    }

    public String display() {
        return switch (this) {
            case RUNNING -> "running";
            case CONNECTING -> "connecting";
            case STOPPED -> "stopped";
            case UNKNOWN -> "unknown";
        };
    }
}
