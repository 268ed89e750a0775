package dev.warden.engine;

/**
 * Who asked for a change, and from where: recorded with every operation and user action.
 *
 * @param source the client's address; null for requests made on this host without HTTP
 */
public record Actor(String name, String source) {

    public static final Actor AUTOMATIC = new Actor("automatic", null);

    /** "alice from 10.0.0.7". */
    public String display() {
        return source == null ? name : name + " from " + source;
    }

    @Override
    public String toString() {
        return display();
    }
}
