package dev.warden.bench.chaos;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.warden.bench.Percentiles;
import dev.warden.sandbox.FileTrees;
import dev.warden.sandbox.SandboxFlavor;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code warden bench chaos}: rounds of one fault each, drawn from the seed, on fresh clusters; the invariants
 * checked against ground truth after every round; a table per fault kind (rounds, violations, failovers, time
 * figures) and every violation with the command that replays its round.
 */
public final class ChaosCampaign {

    /** The time figures of a round, summarized per fault kind. */
    static final List<String> FIGURES = List.of("detect_s", "writable_s", "converge_s");

    /**
     * @param kinds      the faults to draw from (in this order, round-robin from the seed), all by default
     * @param fromRound  the first round's number (to replay one: --from-round R --rounds 1 with its seed)
     * @param keepRounds keep every round's directory (servers' and manager's logs); violations' are always kept
     */
    public record Options(SandboxFlavor flavor, int rounds, long seed, int fromRound, List<String> kinds, Path dir,
                          Path json, boolean keepRounds) {
    }

    private ChaosCampaign() {
    }

    /** The fault kinds by their command-line names, for --faults; throws with the list when one is unknown. */
    public static List<String> faultNames() {
        return Arrays.stream(FaultKind.values()).map(FaultKind::cliName).toList();
    }

    /** Runs the campaign; returns the number of rounds with violations or errors (0: all clean). */
    public static int run(Options o, PrintWriter out) throws Exception {
        List<FaultKind> kinds = o.kinds() == null || o.kinds().isEmpty() ? List.of(FaultKind.values())
                : o.kinds().stream().map(FaultKind::parse).distinct().toList();
        Optional<String> noNet = Netfilter.unavailable();
        List<String> notes = new ArrayList<>();
        if (noNet.isPresent()) {
            List<FaultKind> skipped = kinds.stream().filter(k -> k.needsNetfilter).toList();
            if (!skipped.isEmpty()) {
                notes.add("skipped " + skipped.stream().map(FaultKind::cliName).toList() + ": " + noNet.get());
                kinds = kinds.stream().filter(k -> !k.needsNetfilter).toList();
            }
        } else {
            Netfilter.sweep(); // what a crashed run may have left
        }
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("no fault left to run: " + String.join("; ", notes));
        }
        notes.forEach(n -> out.println("note: " + n));
        Files.createDirectories(o.dir());
        Map<FaultKind, List<ChaosRound.Result>> byKind = new LinkedHashMap<>();
        kinds.forEach(k -> byKind.put(k, new ArrayList<>()));
        List<Map<String, Object>> rounds = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        for (int n = o.fromRound(); n < o.fromRound() + o.rounds(); n++) {
            RoundPlan plan = RoundPlan.draw(o.seed(), n, kinds);
            Path roundDir = o.dir().resolve(String.format(Locale.ROOT, "round-%04d", n));
            out.println(plan.describe());
            out.flush();
            long t0 = System.nanoTime();
            ChaosRound.Result r;
            try {
                r = ChaosRound.run(o.flavor(), plan, roundDir, plan.kind().needsNetfilter);
            } catch (Exception | AssertionError e) {
                r = new ChaosRound.Result(plan, List.of("ERROR (the round could not run to its end): "
                        + e.getClass().getSimpleName() + ": " + e.getMessage()), Map.of(), "");
            }
            double took = (System.nanoTime() - t0) / 1e9;
            byKind.get(plan.kind()).add(r);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("round", n);
            row.put("seed", o.seed());
            row.put("fault", plan.kind().cliName());
            row.put("plan", plan.describe());
            row.put("note", r.note());
            row.put("figures", r.figures());
            row.put("violations", r.violations());
            row.put("took_s", took);
            rounds.add(row);
            if (r.ok()) {
                out.printf(Locale.ROOT, "  ok in %.0f s: %s %s%n", took, r.note(), r.figures());
                if (!o.keepRounds()) {
                    FileTrees.deleteRecursively(roundDir);
                }
            } else {
                out.printf(Locale.ROOT, "  VIOLATION in %.0f s (kept in %s): %s%n", took, roundDir, r.note());
                r.violations().forEach(v -> out.println("    - " + v));
                bad.add("round " + n + " (" + plan.kind().cliName() + "): " + String.join(" | ", r.violations())
                        + "\n      replay: warden bench chaos --flavor " + o.flavor().cliName() + " --seed " + o.seed()
                        + " --from-round " + n + " --rounds 1 --faults " + String.join(",", kinds.stream()
                        .map(FaultKind::cliName).toList()));
            }
            out.flush();
        }
        Map<String, Object> table = table(byKind);
        print(out, o, table, notes, bad);
        if (o.json() != null) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("scenario", "chaos");
            json.put("flavor", o.flavor().cliName());
            json.put("seed", o.seed());
            json.put("from_round", o.fromRound());
            json.put("notes", notes);
            json.put("per_fault", table);
            json.put("rounds", rounds);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(o.json().toFile(), json);
            out.println("JSON: " + o.json().toAbsolutePath());
        }
        out.flush();
        return bad.size();
    }

    /** Per fault kind: rounds, violations, failovers, and p50/p95/max of the time figures. */
    static Map<String, Object> table(Map<FaultKind, List<ChaosRound.Result>> byKind) {
        Map<String, Object> t = new LinkedHashMap<>();
        byKind.forEach((k, results) -> {
            if (results.isEmpty()) {
                return;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("rounds", results.size());
            row.put("violations", results.stream().filter(r -> !r.ok()).count());
            row.put("failovers", results.stream().mapToLong(r -> r.figures().get("failovers") instanceof Number n
                    ? n.longValue() : 0).sum());
            row.put("tail_rows_lost", results.stream().mapToLong(r -> r.figures().get("tail_rows_lost")
                    instanceof Number n ? n.longValue() : 0).sum());
            for (String f : FIGURES) {
                List<Double> values = new ArrayList<>();
                results.forEach(r -> {
                    if (r.figures().get(f) instanceof Number n) {
                        values.add(n.doubleValue());
                    }
                });
                if (!values.isEmpty()) {
                    row.put(f, Percentiles.of(values, false));
                }
            }
            t.put(k.cliName(), row);
        });
        return t;
    }

    @SuppressWarnings("unchecked")
    private static void print(PrintWriter out, Options o, Map<String, Object> table, List<String> notes,
                              List<String> bad) {
        out.println();
        out.printf(Locale.ROOT, "chaos, %s, seed %d, rounds %d..%d%n", o.flavor().cliName(), o.seed(), o.fromRound(),
                o.fromRound() + o.rounds() - 1);
        notes.forEach(n -> out.println("  note: " + n));
        out.printf(Locale.ROOT, "  %-18s %6s %10s %9s %9s  %-20s %-20s %-20s%n", "fault", "rounds", "violations",
                "failovers", "tail_lost", "detect s p50/p95/max", "writable s p50/p95/max", "converge s p50/p95/max");
        table.forEach((k, v) -> {
            Map<String, Object> row = (Map<String, Object>) v;
            out.printf(Locale.ROOT, "  %-18s %6s %10s %9s %9s  %-20s %-20s %-20s%n", k, row.get("rounds"),
                    row.get("violations"), row.get("failovers"), row.get("tail_rows_lost"), cell(row.get("detect_s")),
                    cell(row.get("writable_s")), cell(row.get("converge_s")));
        });
        if (bad.isEmpty()) {
            out.println("  no violations");
        } else {
            out.println("  " + bad.size() + " round(s) with violations:");
            bad.forEach(b -> out.println("    " + b));
        }
    }

    @SuppressWarnings("unchecked")
    private static String cell(Object p) {
        if (!(p instanceof Map<?, ?> m)) {
            return "-";
        }
        Map<String, Double> v = (Map<String, Double>) m;
        return String.format(Locale.ROOT, "%s/%s/%s", f(v.get("p50")), f(v.get("p95")), f(v.get("max")));
    }

    private static String f(Double d) {
        return d == null ? "-" : String.format(Locale.ROOT, "%.2f", d);
    }

    /** A new work directory under ./warden-bench. */
    public static Path workDir() throws IOException {
        Path base = Path.of("warden-bench").toAbsolutePath();
        Files.createDirectories(base);
        return Files.createTempDirectory(base, "chaos-");
    }
}
