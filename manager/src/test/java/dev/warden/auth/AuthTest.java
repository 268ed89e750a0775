package dev.warden.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Passwords, tokens, sessions and the login throttle, without a server. */
class AuthTest {

    static final Instant T0 = Instant.parse("2026-11-22T12:00:00Z");

    @Test
    void aPasswordHashVerifiesItsPasswordOnly_andIsSaltedEachTime() {
        String h = PasswordHash.hash("correct horse battery".toCharArray());
        assertThat(h).startsWith("pbkdf2-sha256$600000$");
        assertThat(PasswordHash.problem(h)).isEmpty();
        assertThat(PasswordHash.verify(h, "correct horse battery".toCharArray())).isTrue();
        assertThat(PasswordHash.verify(h, "correct horse batterY".toCharArray())).isFalse();
        assertThat(PasswordHash.verify(null, "anything".toCharArray())).as("unknown user").isFalse();
        assertThat(PasswordHash.hash("correct horse battery".toCharArray())).isNotEqualTo(h);
        assertThat(PasswordHash.problem("pbkdf2-sha256$1000$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"))
                .hasValueSatisfying(p -> assertThat(p).contains("fewer than 100000"));
        assertThat(PasswordHash.problem("hunter2")).hasValueSatisfying(p -> assertThat(p).contains("warden passwd"));
    }

    @Test
    void aTokenMatchesItsHashOnly() {
        String t = ApiToken.generate();
        assertThat(t).startsWith("wdn_").hasSizeGreaterThan(40);
        String h = ApiToken.hash(t);
        assertThat(ApiToken.problem(h)).isEmpty();
        assertThat(ApiToken.matches(h, t)).isTrue();
        assertThat(ApiToken.matches(h, t + "x")).isFalse();
        assertThat(ApiToken.problem("sha256$nothex")).isPresent();
    }

    @Test
    void aSessionEndsAtItsExpiry_andCarriesItsOwnCsrfToken() {
        SessionStore s = new SessionStore(Duration.ofHours(1));
        SessionStore.Session a = s.create("alice", Role.OPERATOR, T0);
        SessionStore.Session b = s.create("bob", Role.VIEWER, T0);
        assertThat(a.id()).isNotEqualTo(b.id());
        assertThat(a.csrfMatches(a.csrf())).isTrue();
        assertThat(a.csrfMatches(b.csrf())).isFalse();
        assertThat(a.csrfMatches(null)).isFalse();
        assertThat(s.get(a.id(), T0.plusSeconds(3599))).isPresent();
        assertThat(s.get(a.id(), T0.plusSeconds(3600))).isEmpty();
        s.remove(b.id());
        assertThat(s.get(b.id(), T0)).isEmpty();
    }

    @Test
    void failedLoginsDoubleTheWaitAfterThreeAndASuccessClearsIt() {
        LoginThrottle t = new LoginThrottle();
        for (int i = 0; i < 3; i++) {
            assertThat(t.wait("alice", "10.0.0.1", T0)).isEmpty();
            t.failed("alice", "10.0.0.1", T0);
        }
        assertThat(t.wait("alice", "10.0.0.1", T0)).contains(Duration.ofSeconds(1));
        assertThat(t.wait("alice", "10.0.0.2", T0)).as("the name is throttled from anywhere").isPresent();
        assertThat(t.wait("bob", "10.0.0.1", T0)).as("and the address for any name").isPresent();
        assertThat(t.wait("alice", "10.0.0.1", T0.plusSeconds(1))).isEmpty();
        t.failed("alice", "10.0.0.1", T0.plusSeconds(1));
        assertThat(t.wait("alice", "10.0.0.1", T0.plusSeconds(1))).contains(Duration.ofSeconds(2));
        for (int i = 0; i < 20; i++) {
            t.failed("alice", "10.0.0.1", T0.plusSeconds(2));
        }
        assertThat(t.wait("alice", "10.0.0.1", T0.plusSeconds(2))).contains(LoginThrottle.MAX);
        t.succeeded("alice", "10.0.0.1");
        assertThat(t.wait("alice", "10.0.0.1", T0.plusSeconds(2))).isEmpty();
    }
}
