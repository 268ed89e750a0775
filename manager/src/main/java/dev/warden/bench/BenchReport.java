package dev.warden.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A benchmark's runs and their summary: p50, p95 and max of every figure (p99 too for probe latency), as a table
 * and as JSON: {@code {"scenario", "flavor", "profile", "runs": [...], "summary": {figure: {p50, p95, max}}}}.
 */
public final class BenchReport {

    private final String scenario;
    private final String flavor;
    private final String profile;
    private final List<String> figures;
    private final List<Map<String, Object>> runs = new ArrayList<>();
    private final Map<String, Object> extra = new LinkedHashMap<>();

    public BenchReport(String scenario, String flavor, String profile, List<String> figures) {
        this.scenario = scenario;
        this.flavor = flavor;
        this.profile = profile;
        this.figures = List.copyOf(figures);
    }

    public void add(Map<String, Object> run) {
        runs.add(run);
    }

    /** Figures that are not per run (probe benchmark: CPU, heap). */
    public void put(String key, Object value) {
        extra.put(key, value);
    }

    public List<Map<String, Object>> runs() {
        return List.copyOf(runs);
    }

    public Map<String, Map<String, Double>> summary() {
        Map<String, Map<String, Double>> s = new LinkedHashMap<>();
        for (String f : figures) {
            List<Double> values = new ArrayList<>();
            for (Map<String, Object> r : runs) {
                Object v = r.get(f);
                values.add(v instanceof Number n ? n.doubleValue() : null);
            }
            s.put(f, Percentiles.of(values, f.startsWith("latency")));
        }
        return s;
    }

    public Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scenario", scenario);
        m.put("flavor", flavor);
        m.put("profile", profile);
        m.putAll(extra);
        m.put("runs", runs);
        m.put("summary", summary());
        return m;
    }

    public void writeJson(Path file) throws IOException {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json());
    }

    /** The summary as a table: one row per figure. */
    public void print(PrintWriter out) {
        out.printf(Locale.ROOT, "%s, %s, profile %s, %d run(s)%n", scenario, flavor, profile, runs.size());
        extra.forEach((k, v) -> out.printf(Locale.ROOT, "  %-22s %s%n", k, format(v)));
        out.printf(Locale.ROOT, "  %-22s %10s %10s %10s%n", "figure", "p50", "p95", "max");
        summary().forEach((f, p) -> out.printf(Locale.ROOT, "  %-22s %10s %10s %10s%n", f, format(p.get("p50")),
                format(p.get("p95")), format(p.get("max"))));
        out.flush();
    }

    static String line(Map<String, Object> run) {
        StringBuilder b = new StringBuilder();
        run.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k).append(' ').append(format(v)));
        return b.toString();
    }

    static String format(Object v) {
        if (v == null) {
            return "-";
        }
        if (v instanceof Double d) {
            return d.isNaN() ? "-" : String.format(Locale.ROOT, d >= 100 ? "%.0f" : "%.3f", d);
        }
        return String.valueOf(v);
    }
}
