package dev.warden.model;

import java.util.Collection;
import java.util.Collections;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A MariaDB replication position: the last GTID per replication domain ({@code gtid_current_pos},
 * {@code gtid_slave_pos}, {@code Gtid_IO_Pos}). Not a set: within a domain, sequence numbers are ordered
 * (with {@code gtid_strict_mode}), so "has everything of" means "at least as far in every domain".
 */
public final class MariaDbGtidPosition implements GtidPosition {

    public static final MariaDbGtidPosition EMPTY = new MariaDbGtidPosition(new TreeMap<>());

    private final NavigableMap<Long, MariaDbGtid> byDomain;

    private MariaDbGtidPosition(NavigableMap<Long, MariaDbGtid> byDomain) {
        this.byDomain = Collections.unmodifiableNavigableMap(byDomain);
    }

    /** Keeps the highest sequence per domain. */
    public static MariaDbGtidPosition of(Collection<MariaDbGtid> gtids) {
        NavigableMap<Long, MariaDbGtid> m = new TreeMap<>();
        for (MariaDbGtid g : gtids) {
            m.merge(g.domain(), g, (a, b) -> a.sequence() >= b.sequence() ? a : b);
        }
        return m.isEmpty() ? EMPTY : new MariaDbGtidPosition(m);
    }

    /** Parses {@code 0-1-100,1-2-7}; null or blank is the empty position. */
    public static MariaDbGtidPosition parse(String text) {
        if (text == null || text.isBlank()) {
            return EMPTY;
        }
        java.util.List<MariaDbGtid> gtids = new java.util.ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                gtids.add(MariaDbGtid.parse(part));
            }
        }
        return of(gtids);
    }

    public NavigableMap<Long, MariaDbGtid> domains() {
        return byDomain;
    }

    public long sequence(long domain) {
        MariaDbGtid g = byDomain.get(domain);
        return g == null ? 0 : g.sequence();
    }

    @Override
    public boolean isEmpty() {
        return byDomain.isEmpty();
    }

    @Override
    public boolean contains(GtidPosition other) {
        MariaDbGtidPosition o = requirePosition(other);
        for (MariaDbGtid g : o.byDomain.values()) {
            if (sequence(g.domain()) < g.sequence()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public long missingFrom(GtidPosition other) {
        MariaDbGtidPosition o = requirePosition(other);
        long missing = 0;
        for (MariaDbGtid g : o.byDomain.values()) {
            missing += Math.max(0, g.sequence() - sequence(g.domain()));
        }
        return missing;
    }

    @Override
    public GtidPosition union(GtidPosition other) {
        MariaDbGtidPosition o = requirePosition(other);
        java.util.List<MariaDbGtid> all = new java.util.ArrayList<>(byDomain.values());
        all.addAll(o.byDomain.values());
        return of(all);
    }

    private static MariaDbGtidPosition requirePosition(GtidPosition other) {
        if (other instanceof MariaDbGtidPosition p) {
            return p;
        }
        throw new IllegalArgumentException("cannot compare a MariaDB GTID position with " + other.getClass().getSimpleName());
    }

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof MariaDbGtidPosition p && byDomain.equals(p.byDomain));
    }

    @Override
    public int hashCode() {
        return Objects.hash(byDomain);
    }

    @Override
    public String toString() {
        return byDomain.values().stream().map(MariaDbGtid::toString).collect(Collectors.joining(","));
    }
}
