package dev.warden.dialect;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One result row as text, keyed by column label case-insensitively. Replica status is parsed by name,
 * never by position, because column names changed between versions ({@code Master_Host}, {@code Source_Host}).
 */
public final class Row {

    private final Map<String, String> values;

    private Row(Map<String, String> values) {
        this.values = values;
    }

    public static Row of(Map<String, String> values) {
        Map<String, String> m = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        m.putAll(values);
        return new Row(Collections.unmodifiableMap(m));
    }

    /** The value of the first of {@code names} that is a column of this row; null when none is, or when NULL. */
    public String get(String... names) {
        for (String n : names) {
            if (values.containsKey(n)) {
                return values.get(n);
            }
        }
        return null;
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public String getOrEmpty(String... names) {
        String v = get(names);
        return v == null ? "" : v;
    }

    public long getLong(long absent, String... names) {
        String v = get(names);
        if (v == null || v.isBlank()) {
            return absent;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return absent;
        }
    }

    public Long getLongOrNull(String... names) {
        String v = get(names);
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Reads ON/OFF, 1/0, YES/NO, TRUE/FALSE. */
    public boolean getFlag(String... names) {
        String v = get(names);
        if (v == null) {
            return false;
        }
        return switch (v.trim().toUpperCase(java.util.Locale.ROOT)) {
            case "1", "ON", "YES", "TRUE" -> true;
            default -> false;
        };
    }

    public Map<String, String> asMap() {
        return values;
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
