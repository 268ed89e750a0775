package dev.warden.config;

import dev.warden.auth.Role;
import java.util.List;
import java.util.Optional;

/**
 * Who may use the console and API. With neither users nor tokens, access control is off, which is only
 * accepted when the API listens on loopback.
 */
public record AccessConfig(List<User> users, List<Token> tokens) {

    public static final AccessConfig NONE = new AccessConfig(List.of(), List.of());

    /** A console user; the password is kept only as a PBKDF2 hash ({@code warden passwd}). */
    public record User(String name, Role role, String passwordHash) {
        @Override
        public String toString() {
            return name + " (" + role.configName() + ")";
        }
    }

    /** An API token for automation; kept only as its SHA-256 ({@code warden token}). */
    public record Token(String name, Role role, String tokenHash) {
        @Override
        public String toString() {
            return name + " (" + role.configName() + ")";
        }
    }

    public AccessConfig {
        users = List.copyOf(users);
        tokens = List.copyOf(tokens);
    }

    public boolean enabled() {
        return !users.isEmpty() || !tokens.isEmpty();
    }

    public Optional<User> user(String name) {
        return users.stream().filter(u -> u.name().equals(name)).findFirst();
    }
}
