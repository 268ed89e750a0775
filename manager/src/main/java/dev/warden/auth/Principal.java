package dev.warden.auth;

/**
 * Who a request acts as.
 *
 * @param via how it proved it: a session cookie (changes need the CSRF token), a bearer token, or nobody
 *            (access control is off: no users or tokens configured and the API listens on loopback only)
 */
public record Principal(String name, Role role, Via via) {

    public enum Via { SESSION, TOKEN, ANONYMOUS }

    public static final Principal ANONYMOUS = new Principal("anonymous", Role.ADMIN, Via.ANONYMOUS);
}
