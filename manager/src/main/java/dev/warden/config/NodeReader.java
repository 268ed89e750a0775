package dev.warden.config;

import dev.warden.config.ConfigNode.ListNode;
import dev.warden.config.ConfigNode.MapNode;
import dev.warden.config.ConfigNode.ScalarNode;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Typed access to {@link ConfigNode}s that records every problem instead of stopping at the first:
 * errors (the config cannot be used) and warnings (a value was corrected; the warning names key and new value).
 */
final class NodeReader {

    private final EnvSubstitution env;
    final List<ConfigProblem> errors;
    final List<ConfigProblem> warnings;

    NodeReader(EnvSubstitution env, List<ConfigProblem> errors, List<ConfigProblem> warnings) {
        this.env = env;
        this.errors = errors;
        this.warnings = warnings;
    }

    void error(ConfigNode at, String message) {
        errors.add(new ConfigProblem(at.location(), at.path(), message));
    }

    void error(ConfigLocation at, String key, String message) {
        errors.add(new ConfigProblem(at, key, message));
    }

    void warn(ConfigNode at, String message) {
        warnings.add(new ConfigProblem(at.location(), at.path(), message));
    }

    MapNode map(ConfigNode node) {
        if (node instanceof MapNode m) {
            return m;
        }
        error(node, "must be a map of keys, found " + node.kind());
        return null;
    }

    ListNode list(ConfigNode node) {
        if (node instanceof ListNode l) {
            return l;
        }
        error(node, "must be a list, found " + node.kind());
        return null;
    }

    /** Reports keys other than {@code allowed}, suggesting the closest allowed one. */
    void allowOnly(MapNode m, String... allowed) {
        Set<String> ok = Set.of(allowed);
        m.entries().forEach((key, node) -> {
            if (!ok.contains(key)) {
                String hint = closest(key, allowed);
                error(m.keyLocations().get(key), ConfigNode.child(m.path(), key), "unknown key"
                        + (hint == null ? "" : "; did you mean '" + hint + "'?")
                        + " (allowed here: " + Arrays.stream(allowed).sorted().collect(Collectors.joining(", ")) + ")");
            }
        });
    }

    /** The scalar's text after ${ENV} substitution; null when absent (and an error if required). */
    String string(MapNode m, String key, boolean required) {
        ConfigNode n = m == null ? null : m.get(key);
        if (n == null) {
            if (required && m != null) {
                error(m.location(), ConfigNode.child(m.path(), key), "is required");
            }
            return null;
        }
        return scalarText(n, required);
    }

    String scalarText(ConfigNode n, boolean required) {
        if (!(n instanceof ScalarNode s)) {
            error(n, "must be a single value, found " + n.kind());
            return null;
        }
        if (s.value() == null) {
            if (required) {
                error(n, "is empty; give it a value");
            }
            return null;
        }
        try {
            return env.apply(s.value());
        } catch (EnvSubstitution.MissingVariableException e) {
            error(n, e.getMessage());
            return null;
        }
    }

    Duration duration(MapNode m, String key, Duration dflt, Duration min, Duration max) {
        String text = string(m, key, false);
        if (text == null) {
            return dflt;
        }
        ConfigNode n = m.get(key);
        Duration d;
        try {
            d = DurationText.parse(text);
        } catch (IllegalArgumentException e) {
            error(n, e.getMessage());
            return dflt;
        }
        if (d.compareTo(min) < 0) {
            warn(n, DurationText.format(d) + " is below the minimum; using " + DurationText.format(min));
            return min;
        }
        if (d.compareTo(max) > 0) {
            warn(n, DurationText.format(d) + " is above the maximum; using " + DurationText.format(max));
            return max;
        }
        return d;
    }

    /** An integer; outside [min, max] it is an error unless {@code clamp}, then corrected with a warning. */
    int integer(MapNode m, String key, int dflt, int min, int max, boolean clamp) {
        String text = string(m, key, false);
        if (text == null) {
            return dflt;
        }
        ConfigNode n = m.get(key);
        int v;
        try {
            v = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            error(n, "'" + text + "' is not a whole number");
            return dflt;
        }
        if (v < min || v > max) {
            if (!clamp) {
                error(n, v + " is outside " + min + ".." + max);
                return dflt;
            }
            int fixed = Math.max(min, Math.min(max, v));
            warn(n, v + " is outside " + min + ".." + max + "; using " + fixed);
            return fixed;
        }
        return v;
    }

    boolean bool(MapNode m, String key, boolean dflt) {
        String text = string(m, key, false);
        if (text == null) {
            return dflt;
        }
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> {
                error(m.get(key), "'" + text + "' is not true or false");
                yield dflt;
            }
        };
    }

    <E extends Enum<E>> E choice(MapNode m, String key, E dflt, E[] values, Function<E, String> name) {
        String text = string(m, key, false);
        if (text == null) {
            return dflt;
        }
        for (E e : values) {
            if (name.apply(e).equalsIgnoreCase(text.trim())) {
                return e;
            }
        }
        error(m.get(key), "'" + text + "' is not one of " + Arrays.stream(values).map(name)
                .collect(Collectors.joining(", ")));
        return dflt;
    }

    static String closest(String key, String... candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(key.toLowerCase(Locale.ROOT), c);
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        return bestDistance <= Math.max(2, key.length() / 3) ? best : null;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
