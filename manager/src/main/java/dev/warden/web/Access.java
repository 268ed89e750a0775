package dev.warden.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.auth.ApiToken;
import dev.warden.auth.LoginThrottle;
import dev.warden.auth.PasswordHash;
import dev.warden.auth.Principal;
import dev.warden.auth.SessionStore;
import dev.warden.config.AccessConfig;
import dev.warden.engine.Actor;
import dev.warden.store.AuditStore;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.security.RouteRole;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may do what: resolves the caller (bearer token, session cookie, or nobody when access control is off),
 * checks the route's role, and for changes requires a JSON body and, from a console session, the CSRF token.
 * Also the login, logout and session endpoints. Every login, logout and refusal of a change is audited.
 */
final class Access {

    private static final Logger log = LoggerFactory.getLogger(Access.class);
    static final String COOKIE = "warden_session";
    static final String CSRF_HEADER = "X-CSRF-Token";
    private static final String PRINCIPAL = "warden.principal";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AccessConfig config;
    private final SessionStore sessions;
    private final LoginThrottle throttle = new LoginThrottle();
    private final AuditStore audit;
    private final boolean tls;
    private final Clock clock;

    Access(AccessConfig config, Duration sessionTimeout, AuditStore audit, boolean tls, Clock clock) {
        this.config = config;
        this.sessions = new SessionStore(sessionTimeout);
        this.audit = audit;
        this.tls = tls;
        this.clock = clock;
    }

    boolean enabled() {
        return config.enabled();
    }

    /** The caller of a request that passed {@link #check}. */
    static Principal principal(Context ctx) {
        Principal p = ctx.attribute(PRINCIPAL);
        return p == null ? Principal.ANONYMOUS : p;
    }

    static Actor actor(Context ctx) {
        return new Actor(principal(ctx).name(), ctx.ip());
    }

    /** Runs before every matched route. */
    void check(Context ctx) {
        Set<RouteRole> roles = ctx.routeRoles();
        if (roles.isEmpty() || roles.contains(RequiredRole.PUBLIC)) {
            return;
        }
        Optional<Principal> who = resolve(ctx);
        if (who.isEmpty()) {
            return; // resolve answered 401
        }
        Principal p = who.get();
        RequiredRole needed = roles.stream().filter(r -> r instanceof RequiredRole).map(r -> (RequiredRole) r)
                .min(Enum::compareTo).orElse(RequiredRole.ADMIN);
        boolean change = ctx.method() == HandlerType.POST || ctx.method() == HandlerType.PUT
                || ctx.method() == HandlerType.DELETE || ctx.method() == HandlerType.PATCH;
        if (!p.role().includes(needed.role)) {
            deny(ctx, change, p, 403, "forbidden", p.name() + " is " + article(p.role().configName()) + "; "
                    + ctx.method() + " " + ctx.path() + " needs " + needed.role.configName() + " or above");
            return;
        }
        if (change) {
            String type = ctx.contentType();
            if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
                deny(ctx, true, p, 415, "unsupported media type", "send the body as JSON with Content-Type: "
                        + "application/json");
                return;
            }
            if (p.via() == Principal.Via.SESSION) {
                SessionStore.Session s = sessions.get(ctx.cookie(COOKIE), clock.instant()).orElseThrow();
                if (!s.csrfMatches(ctx.header(CSRF_HEADER))) {
                    deny(ctx, true, p, 403, "missing or wrong CSRF token", "send the " + CSRF_HEADER + " header "
                            + "given at login (GET /api/session); nothing was changed");
                    return;
                }
            }
        }
        ctx.attribute(PRINCIPAL, p);
    }

    private static String article(String role) {
        return (role.startsWith("a") || role.startsWith("o") ? "an " : "a ") + role;
    }

    private void deny(Context ctx, boolean change, Principal p, int status, String error, String detail) {
        if (change) {
            audit.record(new AuditStore.UserAction(clock.instant(), p.name(), ctx.ip(), ctx.method() + " " + ctx.path(),
                    null, null, error, "denied"));
        }
        Errors.send(ctx, status, error, detail);
        ctx.skipRemainingHandlers();
    }

    /** Bearer token, else session cookie, else anonymous when access control is off; else answers 401. */
    private Optional<Principal> resolve(Context ctx) {
        String auth = ctx.header("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = auth.substring(7).trim();
            for (AccessConfig.Token t : config.tokens()) {
                if (ApiToken.matches(t.tokenHash(), token)) {
                    return Optional.of(new Principal(t.name(), t.role(), Principal.Via.TOKEN));
                }
            }
            Errors.send(ctx, 401, "unknown token", "the bearer token matches no tokens: entry; make one with "
                    + "'warden token'");
            ctx.skipRemainingHandlers();
            return Optional.empty();
        }
        if (auth != null && auth.regionMatches(true, 0, "Basic ", 0, 6)
                && (ctx.path().startsWith(OrchestratorApi.PREFIX + "/") || ctx.path().equals(OrchestratorApi.PREFIX))
                && (ctx.method() == HandlerType.GET || ctx.method() == HandlerType.HEAD)) {
            return basic(ctx, auth.substring(6).trim());
        }
        Optional<SessionStore.Session> s = sessions.get(ctx.cookie(COOKIE), clock.instant());
        if (s.isPresent()) {
            return Optional.of(s.get().principal());
        }
        if (!config.enabled()) {
            return Optional.of(Principal.ANONYMOUS);
        }
        Errors.send(ctx, 401, "not logged in", "log in at /login.html, or send Authorization: Bearer <token> "
                + "(warden token)");
        ctx.skipRemainingHandlers();
        return Optional.empty();
    }

    /** Basic credentials already checked, by a digest of the header, until when (a password hash is slow). */
    private final java.util.Map<String, java.util.Map.Entry<Principal, Instant>> basicChecked =
            new java.util.concurrent.ConcurrentHashMap<>();
    private static final Duration BASIC_CACHE = Duration.ofMinutes(5);

    /**
     * HTTP Basic, for Orchestrator's clients (orchestrator-client sends {@code --user}), on its read-only API only:
     * a user's name and password, or any name and a token as the password. Failures are throttled as logins are.
     */
    private Optional<Principal> basic(Context ctx, String encoded) {
        Instant now = clock.instant();
        String digest = ApiToken.hash(encoded);
        var known = basicChecked.get(digest);
        if (known != null && known.getValue().isAfter(now)) {
            return Optional.of(known.getKey());
        }
        String text;
        try {
            text = new String(java.util.Base64.getDecoder().decode(encoded), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            text = "";
        }
        int colon = text.indexOf(':');
        String user = colon < 0 ? text : text.substring(0, colon);
        String password = colon < 0 ? "" : text.substring(colon + 1);
        Optional<Duration> wait = throttle.wait(user, ctx.ip(), now);
        if (wait.isPresent()) {
            long secs = Math.max(1, (wait.get().toMillis() + 999) / 1000);
            ctx.header("Retry-After", Long.toString(secs));
            Errors.send(ctx, 429, "too many failed logins", "try again in " + secs + " s");
            ctx.skipRemainingHandlers();
            return Optional.empty();
        }
        Principal p = null;
        for (AccessConfig.Token t : config.tokens()) {
            if (ApiToken.matches(t.tokenHash(), password)) {
                p = new Principal(t.name(), t.role(), Principal.Via.TOKEN);
            }
        }
        Optional<AccessConfig.User> u = config.user(user);
        if (p == null && u.isPresent()) {
            char[] pw = password.toCharArray();
            if (PasswordHash.verify(u.get().passwordHash(), pw)) {
                p = new Principal(user, u.get().role(), Principal.Via.SESSION);
            }
            java.util.Arrays.fill(pw, ' ');
        }
        if (p == null) {
            throttle.failed(user, ctx.ip(), now);
            log.warn("Basic authentication of '{}' from {} failed.", user, ctx.ip());
            Errors.send(ctx, 401, "login failed", "wrong user name or password (or token)");
            ctx.skipRemainingHandlers();
            return Optional.empty();
        }
        throttle.succeeded(user, ctx.ip());
        basicChecked.put(digest, java.util.Map.entry(p, now.plus(BASIC_CACHE)));
        return Optional.of(p);
    }

    // ---- login, logout, session ----------------------------------------------------------------------

    void login(Context ctx) {
        if (!config.enabled()) {
            Errors.send(ctx, 400, "access control is off", "no users are configured; add users to warden.yaml");
            return;
        }
        JsonNode body;
        try {
            body = JSON.readTree(ctx.body());
        } catch (Exception e) {
            body = null;
        }
        if (body == null || !body.path("user").isTextual() || !body.path("password").isTextual()) {
            Errors.malformed(ctx, "the body must be JSON like {\"user\": \"alice\", \"password\": \"...\"}");
            return;
        }
        String user = body.get("user").asText();
        Instant now = clock.instant();
        Optional<Duration> wait = throttle.wait(user, ctx.ip(), now);
        if (wait.isPresent()) {
            long secs = Math.max(1, (wait.get().toMillis() + 999) / 1000);
            ctx.header("Retry-After", Long.toString(secs));
            Errors.send(ctx, 429, "too many failed logins", "try again in " + secs + " s");
            return;
        }
        Optional<AccessConfig.User> u = config.user(user);
        char[] password = body.get("password").asText().toCharArray();
        boolean ok = PasswordHash.verify(u.map(AccessConfig.User::passwordHash).orElse(null), password);
        java.util.Arrays.fill(password, ' ');
        if (!ok) {
            throttle.failed(user, ctx.ip(), now);
            audit.record(new AuditStore.UserAction(now, user, ctx.ip(), "login", null, null, null, "denied"));
            log.warn("Login of '{}' from {} failed.", user, ctx.ip());
            Errors.send(ctx, 401, "login failed", "wrong user name or password");
            return;
        }
        throttle.succeeded(user, ctx.ip());
        SessionStore.Session s = sessions.create(user, u.get().role(), now);
        ctx.header("Set-Cookie", COOKIE + "=" + s.id() + "; Path=/; Max-Age=" + sessions.lifetime().toSeconds()
                + "; HttpOnly; SameSite=Strict" + (tls ? "; Secure" : ""));
        audit.record(new AuditStore.UserAction(now, user, ctx.ip(), "login", null, null, null, "done"));
        log.info("{} ({}) logged in from {}.", user, u.get().role().configName(), ctx.ip());
        ctx.json(session(s.principal(), s.csrf()));
    }

    void logout(Context ctx) {
        Principal p = principal(ctx);
        sessions.remove(ctx.cookie(COOKIE));
        ctx.header("Set-Cookie", COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (tls ? "; Secure" : ""));
        audit.record(new AuditStore.UserAction(clock.instant(), p.name(), ctx.ip(), "logout", null, null, null,
                "done"));
        ctx.json(Map.of("loggedOut", true));
    }

    /** Who the console is logged in as, and its CSRF token; {@code authenticated: false} when nobody. */
    void session(Context ctx) {
        Optional<SessionStore.Session> s = sessions.get(ctx.cookie(COOKIE), clock.instant());
        if (s.isPresent()) {
            ctx.json(session(s.get().principal(), s.get().csrf()));
        } else if (!config.enabled()) {
            ctx.json(session(Principal.ANONYMOUS, null));
        } else {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("authenticated", false);
            m.put("accessControl", true);
            ctx.json(m);
        }
    }

    private Map<String, Object> session(Principal p, String csrf) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("authenticated", true);
        m.put("accessControl", config.enabled());
        m.put("user", p.name());
        m.put("role", p.role().configName());
        m.put("csrf", csrf);
        return m;
    }
}
