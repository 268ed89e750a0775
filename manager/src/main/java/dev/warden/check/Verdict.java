package dev.warden.check;

/** How one check came out. */
public enum Verdict {
    PASS,
    /** Works, but a DBA should look at it. */
    WARN,
    /** Warden cannot do its job here until it is fixed. */
    FAIL
}
