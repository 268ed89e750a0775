package dev.warden.dialect;

/** A server version Warden does not manage; the message says which versions it does. */
public final class UnsupportedServerException extends RuntimeException {
    public UnsupportedServerException(String message) {
        super(message);
    }
}
