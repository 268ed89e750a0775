package dev.warden.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Nearest-rank percentiles of a sample, ignoring missing values. */
public final class Percentiles {

    private Percentiles() {
    }

    /** {p50, p95, max} (and p99 with {@code withP99}); null values when nothing was measured. */
    public static Map<String, Double> of(List<Double> values, boolean withP99) {
        List<Double> v = new ArrayList<>();
        values.stream().filter(x -> x != null && !x.isNaN()).forEach(v::add);
        Collections.sort(v);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("p50", rank(v, 0.50));
        m.put("p95", rank(v, 0.95));
        if (withP99) {
            m.put("p99", rank(v, 0.99));
        }
        m.put("max", v.isEmpty() ? null : v.get(v.size() - 1));
        return m;
    }

    static Double rank(List<Double> sorted, double p) {
        if (sorted.isEmpty()) {
            return null;
        }
        int i = (int) Math.ceil(p * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(i, sorted.size() - 1)));
    }
}
