package dev.warden.model;

import java.util.Comparator;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The origin part of a MySQL GTID: the server UUID and, from MySQL 8.3, an optional tag
 * ({@code uuid:tag:n}). Both are stored lower-case; the untagged source sorts before its tags.
 */
public record GtidSource(String uuid, String tag) implements Comparable<GtidSource> {

    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern BARE_UUID = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern TAG = Pattern.compile("[a-z_][a-z0-9_]{0,31}");
    private static final Comparator<GtidSource> ORDER =
            Comparator.comparing(GtidSource::uuid).thenComparing(GtidSource::tag);

    public GtidSource {
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(tag, "tag");
        uuid = normalizeUuid(uuid);
        tag = tag.toLowerCase(Locale.ROOT);
        if (!tag.isEmpty() && !TAG.matcher(tag).matches()) {
            throw new IllegalArgumentException("'" + tag + "' is not a GTID tag (letters, digits, _; at most 32)");
        }
    }

    public static GtidSource of(String uuid) {
        return new GtidSource(uuid, "");
    }

    public boolean tagged() {
        return !tag.isEmpty();
    }

    static boolean looksLikeTag(String s) {
        return TAG.matcher(s.toLowerCase(Locale.ROOT)).matches();
    }

    static String normalizeUuid(String raw) {
        String u = raw.trim().toLowerCase(Locale.ROOT);
        if (BARE_UUID.matcher(u).matches()) {
            u = u.substring(0, 8) + "-" + u.substring(8, 12) + "-" + u.substring(12, 16) + "-"
                    + u.substring(16, 20) + "-" + u.substring(20);
        }
        if (!UUID.matcher(u).matches()) {
            throw new IllegalArgumentException("'" + raw.trim() + "' is not a server UUID");
        }
        return u;
    }

    @Override
    public int compareTo(GtidSource o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return tagged() ? uuid + ":" + tag : uuid;
    }
}
