package dev.warden.decision;

import java.time.Instant;

/** One observer's view of the primary: what it saw and when, and what that says. */
public record Vote(String observer, Verdict verdict, String saw, Instant at) {

    public enum Verdict {
        /** Cannot reach the primary / receives nothing from it. */
        CONFIRMS_DEAD,
        /** Still receives from it. */
        SEES_ALIVE,
        /** Cannot tell (itself unreachable, replication stopped by hand...). */
        ABSTAINS
    }

    @Override
    public String toString() {
        return observer + ": " + saw + " [" + verdict.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + "]";
    }
}
