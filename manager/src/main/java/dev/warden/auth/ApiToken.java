package dev.warden.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Bearer tokens for automation: 32 random bytes (base64url), kept in the configuration only as
 * {@code sha256$<hex>}. A fast hash is enough for 256 random bits; the token itself is shown once, by
 * {@code warden token}.
 */
public final class ApiToken {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PREFIX = "sha256$";

    private ApiToken() {
    }

    public static String generate() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return "wdn_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    public static String hash(String token) {
        return PREFIX + HexFormat.of().formatHex(sha256(token));
    }

    public static Optional<String> problem(String encoded) {
        if (!encoded.matches("sha256\\$[0-9a-f]{64}")) {
            return Optional.of("is not a token hash; make a token and its hash with 'warden token' (the hash "
                    + "looks like sha256$ and 64 hex digits)");
        }
        return Optional.empty();
    }

    /** Constant-time comparison of a presented token against a kept hash. */
    public static boolean matches(String encoded, String token) {
        byte[] expected = HexFormat.of().parseHex(encoded.substring(PREFIX.length()));
        return MessageDigest.isEqual(expected, sha256(token));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
