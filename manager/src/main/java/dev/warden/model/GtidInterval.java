package dev.warden.model;

/** An inclusive range of transaction numbers, {@code start <= end}, both at least 1. */
public record GtidInterval(long start, long end) implements Comparable<GtidInterval> {

    public GtidInterval {
        if (start < 1 || end < start) {
            throw new IllegalArgumentException("invalid GTID interval " + start + "-" + end);
        }
    }

    public long count() {
        return end - start + 1;
    }

    public boolean contains(long gno) {
        return gno >= start && gno <= end;
    }

    @Override
    public int compareTo(GtidInterval o) {
        int c = Long.compare(start, o.start);
        return c != 0 ? c : Long.compare(end, o.end);
    }

    @Override
    public String toString() {
        return start == end ? Long.toString(start) : start + "-" + end;
    }
}
