package dev.warden.check;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The privileges an account holds, read from the lines of {@code SHOW GRANTS}: global ones ({@code ON *.*})
 * and per-schema ones ({@code ON `warden`.*}). Privilege names are upper-case with single spaces.
 */
public final class GrantSet {

    private static final Pattern GRANT = Pattern.compile(
            "^GRANT\\s+(.+?)\\s+ON\\s+(\\S+)\\s+TO\\s+.*$", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern ROLE_GRANT = Pattern.compile("^GRANT\\s+[`'\"]?[^\\s`'\"]+[`'\"]?@.*\\s+TO\\s+.*$",
            Pattern.CASE_INSENSITIVE);

    private final Set<String> global;
    private final Map<String, Set<String>> bySchema;
    private final boolean usesRoles;

    private GrantSet(Set<String> global, Map<String, Set<String>> bySchema, boolean usesRoles) {
        this.global = global;
        this.bySchema = bySchema;
        this.usesRoles = usesRoles;
    }

    public static GrantSet parse(List<String> lines) {
        Set<String> global = new HashSet<>();
        Map<String, Set<String>> bySchema = new HashMap<>();
        boolean roles = false;
        for (String line : lines) {
            String l = line.trim();
            Matcher m = GRANT.matcher(l);
            if (!m.matches()) {
                continue;
            }
            String privileges = m.group(1);
            String on = m.group(2);
            if (privileges.toUpperCase(Locale.ROOT).startsWith("PROXY")) {
                continue;
            }
            Set<String> target;
            if (on.equals("*.*")) {
                target = global;
            } else if (on.endsWith(".*")) {
                String schema = on.substring(0, on.length() - 2).replace("`", "").replace("\"", "")
                        .toLowerCase(Locale.ROOT);
                target = bySchema.computeIfAbsent(schema, k -> new HashSet<>());
            } else {
                continue; // table-level grants are not needed by Warden
            }
            for (String p : privileges.split(",")) {
                target.add(normalize(p));
            }
        }
        for (String line : lines) {
            if (!GRANT.matcher(line.trim()).matches() && ROLE_GRANT.matcher(line.trim()).matches()) {
                roles = true;
            }
        }
        return new GrantSet(global, bySchema, roles);
    }

    static String normalize(String privilege) {
        return privilege.trim().replaceAll("\\s+", " ").toUpperCase(Locale.ROOT);
    }

    /** True when any of {@code anyOf} is held globally (ALL PRIVILEGES counts). */
    public boolean hasGlobal(List<String> anyOf) {
        if (global.contains("ALL PRIVILEGES") || global.contains("ALL")) {
            return true;
        }
        return anyOf.stream().map(GrantSet::normalize).anyMatch(global::contains);
    }

    /** True when {@code privilege} is held on {@code schema} (or globally). */
    public boolean hasOnSchema(String schema, String privilege) {
        if (hasGlobal(List.of(privilege))) {
            return true;
        }
        Set<String> s = bySchema.getOrDefault(schema.toLowerCase(Locale.ROOT), Set.of());
        return s.contains(normalize(privilege)) || s.contains("ALL PRIVILEGES") || s.contains("ALL");
    }

    /** Privileges granted through roles (MySQL) are not visible in plain SHOW GRANTS. */
    public boolean usesRoles() {
        return usesRoles;
    }
}
