package dev.warden.auth;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.spec.InvalidKeySpecException;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Password hashes as kept in the configuration: {@code pbkdf2-sha256$<iterations>$<salt>$<hash>} (base64, no
 * padding), PBKDF2 with HMAC-SHA256, 600,000 iterations (OWASP's 2023 figure), 16-byte salt, 32-byte hash.
 * The iteration count is part of the text, so it can be raised without invalidating older hashes.
 */
public final class PasswordHash {

    public static final int ITERATIONS = 600_000;
    private static final String PREFIX = "pbkdf2-sha256";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    /** Verified when the user is unknown, so a wrong name takes as long as a wrong password. */
    private static final String DUMMY = hash("not a real password".toCharArray(), new byte[16], ITERATIONS);

    private PasswordHash() {
    }

    public static String hash(char[] password) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return hash(password, salt, ITERATIONS);
    }

    private static String hash(char[] password, byte[] salt, int iterations) {
        return PREFIX + "$" + iterations + "$" + B64.encodeToString(salt) + "$"
                + B64.encodeToString(derive(password, salt, iterations, 32));
    }

    /** Why the text is not a hash this class can check, or empty when it is one. */
    public static Optional<String> problem(String encoded) {
        String[] p = encoded.split("\\$");
        if (p.length != 4 || !p[0].equals(PREFIX)) {
            return Optional.of("is not a password hash; make one with 'warden passwd' (it starts with " + PREFIX
                    + "$)");
        }
        try {
            int iterations = Integer.parseInt(p[1]);
            if (iterations < 100_000) {
                return Optional.of("uses " + iterations + " PBKDF2 iterations, fewer than 100000; make a new one "
                        + "with 'warden passwd'");
            }
            if (Base64.getDecoder().decode(p[2]).length < 16 || Base64.getDecoder().decode(p[3]).length < 32) {
                return Optional.of("has a salt or hash that is too short; make a new one with 'warden passwd'");
            }
        } catch (IllegalArgumentException e) {
            return Optional.of("is damaged (" + e.getMessage() + "); make a new one with 'warden passwd'");
        }
        return Optional.empty();
    }

    /** Whether {@code password} matches; {@code encoded} null runs a dummy check taking the same time. */
    public static boolean verify(String encoded, char[] password) {
        String e = encoded == null ? DUMMY : encoded;
        String[] p = e.split("\\$");
        byte[] salt = Base64.getDecoder().decode(p[2]);
        byte[] expected = Base64.getDecoder().decode(p[3]);
        byte[] actual = derive(password, salt, Integer.parseInt(p[1]), expected.length);
        return MessageDigest.isEqual(expected, actual) && encoded != null;
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations, int bytes) {
        try {
            PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, bytes * 8);
            try {
                return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            } finally {
                spec.clearPassword();
            }
        } catch (NoSuchAlgorithmException | InvalidKeySpecException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available in this JVM", e);
        }
    }
}
