package dev.warden.auth;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Console sessions, in memory (a restart logs everyone out): a random id for the cookie, a random CSRF token that
 * every change must carry, and an absolute expiry.
 */
public final class SessionStore {

    private static final SecureRandom RANDOM = new SecureRandom();

    public record Session(String id, String csrf, Principal principal, Instant expires) {
        public boolean csrfMatches(String presented) {
            return presented != null && MessageDigest.isEqual(csrf.getBytes(StandardCharsets.UTF_8),
                    presented.getBytes(StandardCharsets.UTF_8));
        }
    }

    private final Duration lifetime;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    public SessionStore(Duration lifetime) {
        this.lifetime = lifetime;
    }

    public Duration lifetime() {
        return lifetime;
    }

    public Session create(String user, Role role, Instant now) {
        sessions.values().removeIf(s -> !now.isBefore(s.expires()));
        Session s = new Session(random(), random(), new Principal(user, role, Principal.Via.SESSION),
                now.plus(lifetime));
        sessions.put(s.id(), s);
        return s;
    }

    public Optional<Session> get(String id, Instant now) {
        if (id == null) {
            return Optional.empty();
        }
        Session s = sessions.get(id);
        if (s == null) {
            return Optional.empty();
        }
        if (!now.isBefore(s.expires())) {
            sessions.remove(id);
            return Optional.empty();
        }
        return Optional.of(s);
    }

    public void remove(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    private static String random() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
