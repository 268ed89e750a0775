package dev.warden.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * MariaDB's {@code gtid_binlog_state}: the last GTID per (domain, server_id) in a server's binary log. Unlike the
 * per-domain position, it tells who originated what, so a replica's own writes (errant transactions) and an old
 * primary's unreplicated tail can be found: they are entries the other server lacks or has at a lower sequence.
 */
public final class MariaDbBinlogState {

    public static final MariaDbBinlogState EMPTY = new MariaDbBinlogState(new TreeMap<>());

    /** Keyed by "domain-server". */
    private final Map<String, MariaDbGtid> last;

    private MariaDbBinlogState(Map<String, MariaDbGtid> last) {
        this.last = Collections.unmodifiableMap(last);
    }

    public static MariaDbBinlogState parse(String text) {
        if (text == null || text.isBlank()) {
            return EMPTY;
        }
        Map<String, MariaDbGtid> m = new TreeMap<>();
        for (String part : text.split(",")) {
            if (part.isBlank()) continue;
            MariaDbGtid g = MariaDbGtid.parse(part);
            m.merge(g.domain() + "-" + g.serverId(), g, (a, b) -> a.sequence() >= b.sequence() ? a : b);
        }
        return new MariaDbBinlogState(m);
    }

    /** The "domain-server" origins of {@link #notIn}. */
    public java.util.Set<String> originsNotIn(MariaDbBinlogState other) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        for (Map.Entry<String, MariaDbGtid> e : last.entrySet()) {
            MariaDbGtid theirs = other.last.get(e.getKey());
            if (theirs == null || theirs.sequence() < e.getValue().sequence()) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    /** This state without the GTIDs originated by {@code serverId}. */
    public MariaDbBinlogState without(long serverId) {
        Map<String, MariaDbGtid> m = new TreeMap<>(last);
        m.values().removeIf(g -> g.serverId() == serverId);
        return m.size() == last.size() ? this : new MariaDbBinlogState(m);
    }

    public boolean isEmpty() {
        return last.isEmpty();
    }

    /**
     * What this server has that {@code other} lacks, one entry per (domain, server): "d-s-from..to" when the other
     * has an earlier GTID of that origin, else the origin's last GTID "d-s-n".
     */
    public List<String> notIn(MariaDbBinlogState other) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, MariaDbGtid> e : last.entrySet()) {
            MariaDbGtid mine = e.getValue();
            MariaDbGtid theirs = other.last.get(e.getKey());
            if (theirs == null) {
                out.add(mine.toString()); // only the origin's last GTID is known
            } else if (theirs.sequence() < mine.sequence()) {
                long from = theirs.sequence() + 1;
                out.add(mine.domain() + "-" + mine.serverId() + "-" + (from == mine.sequence() ? mine.sequence()
                        : from + ".." + mine.sequence()));
            }
        }
        return out;
    }

    /**
     * How many transactions {@link #notIn} describes, at least: for an origin the other server has, the gap in
     * sequence numbers (exact while one server writes the domain at a time, as with one primary); for an origin
     * it lacks entirely, one (only the last GTID of it is known).
     */
    public long countNotIn(MariaDbBinlogState other) {
        long n = 0;
        for (Map.Entry<String, MariaDbGtid> e : last.entrySet()) {
            MariaDbGtid theirs = other.last.get(e.getKey());
            if (theirs == null) {
                n += 1;
            } else if (theirs.sequence() < e.getValue().sequence()) {
                n += e.getValue().sequence() - theirs.sequence();
            }
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MariaDbBinlogState s && s.last.equals(last);
    }

    @Override
    public int hashCode() {
        return Objects.hash(last);
    }

    @Override
    public String toString() {
        return last.values().stream().map(MariaDbGtid::toString).collect(Collectors.joining(","));
    }
}
