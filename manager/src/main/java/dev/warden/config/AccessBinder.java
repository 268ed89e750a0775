package dev.warden.config;

import dev.warden.auth.ApiToken;
import dev.warden.auth.PasswordHash;
import dev.warden.auth.Role;
import dev.warden.config.ConfigNode.MapNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** The {@code users} and {@code tokens} sections: name to role and hash. */
final class AccessBinder {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}");
    private final NodeReader r;

    AccessBinder(NodeReader r) {
        this.r = r;
    }

    AccessConfig access(ConfigNode users, ConfigNode tokens) {
        List<AccessConfig.User> u = new ArrayList<>();
        for (Map.Entry<String, MapNode> e : entries(users, "users").entrySet()) {
            MapNode m = e.getValue();
            r.allowOnly(m, "role", "password_hash");
            Role role = role(m);
            String hash = hash(m, "password_hash", PasswordHash::problem);
            if (role != null && hash != null) {
                u.add(new AccessConfig.User(e.getKey(), role, hash));
            }
        }
        List<AccessConfig.Token> t = new ArrayList<>();
        for (Map.Entry<String, MapNode> e : entries(tokens, "tokens").entrySet()) {
            MapNode m = e.getValue();
            r.allowOnly(m, "role", "token_hash");
            Role role = role(m);
            String hash = hash(m, "token_hash", ApiToken::problem);
            if (role != null && hash != null) {
                t.add(new AccessConfig.Token(e.getKey(), role, hash));
            }
        }
        return new AccessConfig(u, t);
    }

    private Map<String, MapNode> entries(ConfigNode n, String section) {
        Map<String, MapNode> out = new java.util.LinkedHashMap<>();
        if (n == null) {
            return out;
        }
        MapNode m = r.map(n);
        if (m == null) {
            return out;
        }
        for (Map.Entry<String, ConfigNode> e : m.entries().entrySet()) {
            if (!NAME.matcher(e.getKey()).matches()) {
                r.error(m.keyLocations().get(e.getKey()), ConfigNode.child(section, e.getKey()), "'" + e.getKey()
                        + "' is not a usable name: letters, digits, _ . @ - (at most 64)");
                continue;
            }
            MapNode entry = r.map(e.getValue());
            if (entry != null) {
                out.put(e.getKey(), entry);
            }
        }
        return out;
    }

    private Role role(MapNode m) {
        String text = r.string(m, "role", true);
        if (text == null) {
            return null;
        }
        Optional<Role> role = Role.parse(text);
        if (role.isEmpty()) {
            r.error(m.get("role"), "'" + text + "' is not a role; use viewer, operator or admin");
        }
        return role.orElse(null);
    }

    private String hash(MapNode m, String key, java.util.function.Function<String, Optional<String>> check) {
        String text = r.string(m, key, true);
        if (text == null) {
            return null;
        }
        Optional<String> problem = check.apply(text);
        if (problem.isPresent()) {
            r.error(m.get(key), problem.get());
            return null;
        }
        return text;
    }
}
