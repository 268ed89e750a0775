package dev.warden.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An immutable, canonical MySQL GTID set: intervals merged and sorted, UUIDs and tags lower-case,
 * sources sorted. {@link #toString()} prints the form MySQL prints in {@code @@gtid_executed}
 * (without the newlines MySQL puts after commas), so {@code parse(s).toString()} round-trips.
 */
public final class GtidSet implements GtidPosition {

    public static final GtidSet EMPTY = new GtidSet(new TreeMap<>());

    private final NavigableMap<GtidSource, List<GtidInterval>> sources;

    private GtidSet(NavigableMap<GtidSource, List<GtidInterval>> sources) {
        this.sources = Collections.unmodifiableNavigableMap(sources);
    }

    /** Builds a set from possibly overlapping intervals; empty interval lists are dropped. */
    public static GtidSet of(Map<GtidSource, List<GtidInterval>> raw) {
        NavigableMap<GtidSource, List<GtidInterval>> m = new TreeMap<>();
        raw.forEach((source, intervals) -> {
            List<GtidInterval> n = GtidIntervals.normalize(intervals);
            if (!n.isEmpty()) {
                m.merge(source, n, GtidIntervals::union);
            }
        });
        return m.isEmpty() ? EMPTY : new GtidSet(m);
    }

    public static GtidSet single(String uuid, long start, long end) {
        return of(Map.of(GtidSource.of(uuid), List.of(new GtidInterval(start, end))));
    }

    /**
     * Parses the text of {@code @@gtid_executed}, {@code Retrieved_Gtid_Set} and the like:
     * {@code uuid:1-5:7,uuid2:1-3}, whitespace and newlines anywhere between elements, tags as
     * {@code uuid:tag:1-3}. Null or blank is the empty set.
     */
    public static GtidSet parse(String text) {
        if (text == null || text.isBlank()) {
            return EMPTY;
        }
        Map<GtidSource, List<GtidInterval>> raw = new TreeMap<>();
        for (String element : text.split(",")) {
            String e = element.replaceAll("\\s+", "");
            if (e.isEmpty()) {
                continue;
            }
            parseElement(e, text, raw);
        }
        return of(raw);
    }

    private static void parseElement(String element, String whole, Map<GtidSource, List<GtidInterval>> out) {
        String[] parts = element.split(":", -1);
        if (parts.length < 2) {
            throw new IllegalArgumentException("GTID set element '" + element + "' has no transaction numbers (in '"
                    + whole.strip() + "')");
        }
        String uuid;
        try {
            uuid = GtidSource.normalizeUuid(parts[0]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " (in GTID set '" + whole.strip() + "')");
        }
        String tag = "";
        boolean intervalsSinceTag = false;
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i];
            if (!p.isEmpty() && Character.isDigit(p.charAt(0))) {
                out.computeIfAbsent(new GtidSource(uuid, tag), k -> new ArrayList<>()).add(parseInterval(p, whole));
                intervalsSinceTag = true;
            } else if (GtidSource.looksLikeTag(p)) {
                if (!tag.isEmpty() && !intervalsSinceTag) {
                    throw new IllegalArgumentException("GTID tag '" + tag + "' has no transaction numbers (in '"
                            + whole.strip() + "')");
                }
                tag = p;
                intervalsSinceTag = false;
            } else {
                throw new IllegalArgumentException("'" + p + "' is neither a transaction range nor a tag (in GTID set '"
                        + whole.strip() + "')");
            }
        }
        if (!intervalsSinceTag) {
            throw new IllegalArgumentException("GTID set element '" + element + "' ends without transaction numbers (in '"
                    + whole.strip() + "')");
        }
    }

    private static GtidInterval parseInterval(String p, String whole) {
        try {
            int dash = p.indexOf('-');
            long start = Long.parseLong(dash < 0 ? p : p.substring(0, dash));
            long end = dash < 0 ? start : Long.parseLong(p.substring(dash + 1));
            return new GtidInterval(start, end);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + p + "' is not a transaction range (in GTID set '" + whole.strip() + "')");
        }
    }

    public Map<GtidSource, List<GtidInterval>> sources() {
        return sources;
    }

    public List<GtidInterval> intervals(GtidSource source) {
        return sources.getOrDefault(source, List.of());
    }

    @Override
    public boolean isEmpty() {
        return sources.isEmpty();
    }

    /** Number of transactions in the set. */
    public long count() {
        long n = 0;
        for (List<GtidInterval> l : sources.values()) {
            n += GtidIntervals.count(l);
        }
        return n;
    }

    public boolean contains(GtidSource source, long gno) {
        return GtidIntervals.contains(intervals(source), gno);
    }

    public GtidSet union(GtidSet other) {
        if (other.isEmpty()) return this;
        if (isEmpty()) return other;
        NavigableMap<GtidSource, List<GtidInterval>> m = new TreeMap<>(sources);
        other.sources.forEach((s, l) -> m.merge(s, l, GtidIntervals::union));
        return new GtidSet(m);
    }

    /** Transactions of this set that {@code other} does not have: {@code replica.subtract(primary)} are errant. */
    public GtidSet subtract(GtidSet other) {
        if (other.isEmpty() || isEmpty()) return this;
        NavigableMap<GtidSource, List<GtidInterval>> m = new TreeMap<>();
        sources.forEach((s, l) -> {
            List<GtidInterval> rest = GtidIntervals.subtract(l, other.intervals(s));
            if (!rest.isEmpty()) {
                m.put(s, rest);
            }
        });
        return m.isEmpty() ? EMPTY : new GtidSet(m);
    }

    public GtidSet intersect(GtidSet other) {
        NavigableMap<GtidSource, List<GtidInterval>> m = new TreeMap<>();
        sources.forEach((s, l) -> {
            List<GtidInterval> both = GtidIntervals.intersect(l, other.intervals(s));
            if (!both.isEmpty()) {
                m.put(s, both);
            }
        });
        return m.isEmpty() ? EMPTY : new GtidSet(m);
    }

    public boolean isSubsetOf(GtidSet other) {
        return subtract(other).isEmpty();
    }

    public boolean contains(GtidSet other) {
        return other.isSubsetOf(this);
    }

    @Override
    public boolean contains(GtidPosition other) {
        return contains(requireSet(other));
    }

    @Override
    public long missingFrom(GtidPosition other) {
        return requireSet(other).subtract(this).count();
    }

    @Override
    public GtidPosition union(GtidPosition other) {
        return union(requireSet(other));
    }

    private static GtidSet requireSet(GtidPosition other) {
        if (other instanceof GtidSet s) {
            return s;
        }
        throw new IllegalArgumentException("cannot compare a MySQL GTID set with " + other.getClass().getSimpleName());
    }

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof GtidSet g && sources.equals(g.sources));
    }

    @Override
    public int hashCode() {
        return Objects.hash(sources);
    }

    /** Canonical form: {@code uuid:1-5:7:tag:1-2,uuid2:3}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        String currentUuid = null;
        for (Map.Entry<GtidSource, List<GtidInterval>> e : sources.entrySet()) {
            GtidSource s = e.getKey();
            if (!s.uuid().equals(currentUuid)) {
                if (currentUuid != null) {
                    sb.append(',');
                }
                sb.append(s.uuid());
                currentUuid = s.uuid();
            }
            if (s.tagged()) {
                sb.append(':').append(s.tag());
            }
            for (GtidInterval i : e.getValue()) {
                sb.append(':').append(i);
            }
        }
        return sb.toString();
    }

    /** Short human summary: "3 sources, 1205 transactions" or "empty". */
    public String summary() {
        if (isEmpty()) return "empty";
        long uuids = sources.keySet().stream().map(GtidSource::uuid).distinct().count();
        return uuids + (uuids == 1 ? " source, " : " sources, ") + count() + " trx";
    }
}
