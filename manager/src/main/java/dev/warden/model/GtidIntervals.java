package dev.warden.model;

import java.util.ArrayList;
import java.util.List;

/** Set algebra on canonical interval lists (sorted, disjoint, never adjacent). */
final class GtidIntervals {

    private GtidIntervals() {
    }

    /** Sorts, then merges overlapping and adjacent intervals. */
    static List<GtidInterval> normalize(List<GtidInterval> in) {
        List<GtidInterval> sorted = new ArrayList<>(in);
        sorted.sort(null);
        List<GtidInterval> out = new ArrayList<>();
        for (GtidInterval i : sorted) {
            if (!out.isEmpty()) {
                GtidInterval last = out.get(out.size() - 1);
                if (i.start() <= last.end() + 1) {
                    out.set(out.size() - 1, new GtidInterval(last.start(), Math.max(last.end(), i.end())));
                    continue;
                }
            }
            out.add(i);
        }
        return List.copyOf(out);
    }

    static List<GtidInterval> union(List<GtidInterval> a, List<GtidInterval> b) {
        List<GtidInterval> all = new ArrayList<>(a.size() + b.size());
        all.addAll(a);
        all.addAll(b);
        return normalize(all);
    }

    static List<GtidInterval> subtract(List<GtidInterval> a, List<GtidInterval> b) {
        List<GtidInterval> out = new ArrayList<>();
        int j = 0;
        for (GtidInterval i : a) {
            long start = i.start();
            long end = i.end();
            while (j < b.size() && b.get(j).end() < start) {
                j++;
            }
            int k = j;
            while (start <= end && k < b.size() && b.get(k).start() <= end) {
                GtidInterval cut = b.get(k);
                if (cut.start() > start) {
                    out.add(new GtidInterval(start, cut.start() - 1));
                }
                start = Math.max(start, cut.end() + 1);
                if (cut.end() >= end) {
                    break;
                }
                k++;
            }
            if (start <= end) {
                out.add(new GtidInterval(start, end));
            }
        }
        return List.copyOf(out);
    }

    static List<GtidInterval> intersect(List<GtidInterval> a, List<GtidInterval> b) {
        List<GtidInterval> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.size() && j < b.size()) {
            GtidInterval x = a.get(i);
            GtidInterval y = b.get(j);
            long start = Math.max(x.start(), y.start());
            long end = Math.min(x.end(), y.end());
            if (start <= end) {
                out.add(new GtidInterval(start, end));
            }
            if (x.end() < y.end()) {
                i++;
            } else {
                j++;
            }
        }
        return List.copyOf(out);
    }

    static boolean contains(List<GtidInterval> intervals, long gno) {
        int lo = 0;
        int hi = intervals.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            GtidInterval m = intervals.get(mid);
            if (gno < m.start()) {
                hi = mid - 1;
            } else if (gno > m.end()) {
                lo = mid + 1;
            } else {
                return true;
            }
        }
        return false;
    }

    static long count(List<GtidInterval> intervals) {
        long n = 0;
        for (GtidInterval i : intervals) {
            n += i.count();
        }
        return n;
    }
}
