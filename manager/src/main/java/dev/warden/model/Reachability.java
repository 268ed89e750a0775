package dev.warden.model;

/** How a probe ended, classified from the failure (HikariCP-style, not guessed from messages). */
public enum Reachability {
    REACHABLE("reachable"),
    /** TCP connection refused: nothing listens (process dead or port closed). */
    REFUSED("refused"),
    /** Connect or read did not finish within its timeout: host gone or process hung. */
    TIMEOUT("timeout"),
    /** The server answered but rejected the credentials. */
    AUTH_FAILED("auth failed"),
    /** The server answered with an error that stops probing (too many connections, shutting down...). */
    SERVER_ERROR("server error"),
    /** Host unknown, no route, connection reset: the network path is broken. */
    NETWORK_ERROR("network error"),
    UNKNOWN("unknown failure");

    private final String display;

    Reachability(String display) {
        this.display = display;
    }

    public boolean reachable() {
        return this == REACHABLE;
    }

    public String display() {
        return display;
    }
}
