package dev.warden.engine;

import dev.warden.decision.Decision;
import dev.warden.decision.Finding;
import dev.warden.decision.FindingCode;
import dev.warden.model.InstanceKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What of a cluster's cycle is worth an INFO line: a change of its state, a finding raised or cleared, a new kind of
 * decision (once, with why), and a summary every so often while nothing changes. The sentence of every cycle goes to
 * DEBUG. Figures that move every cycle (lags, latencies, time left) do not count as a change. Pure.
 */
final class CycleLog {

    /** One INFO line; {@code code} and {@code server} name the finding it is about, when it is about one. */
    record Line(String text, FindingCode code, InstanceKey server) {
    }

    private static final Pattern MOVING_FIGURE = Pattern.compile("\\d+(\\.\\d+)?\\s?(ms|s|min|h)\\b");
    /** The lag moves every cycle, between bounds and unknown too; a lag that matters is a finding (ReplicaLagging). */
    private static final Pattern MAX_LAG = Pattern.compile(", max lag [^,;]*");

    private final Duration summaryEvery;
    private final Map<String, Instant> raised = new LinkedHashMap<>();
    private String state;
    private String decision;
    private Instant lastSummary;

    CycleLog(Duration summaryEvery) {
        this.summaryEvery = summaryEvery;
    }

    /**
     * @param state    the cluster's state in one sentence (servers, roles, replication), without the findings
     * @param sentence the whole cycle's sentence (state, findings, decision), the summary's text
     */
    List<Line> lines(String cluster, String state, List<Finding> findings, Decision decision, String sentence,
                     Instant now) {
        List<Line> out = new ArrayList<>();
        String stateKey = steady(MAX_LAG.matcher(state).replaceAll(""));
        if (this.state == null) {
            out.add(new Line("First look at " + sentence, null, null));
            lastSummary = now;
        } else if (!stateKey.equals(this.state)) {
            out.add(new Line("Now " + state, null, null));
        }
        this.state = stateKey;

        Map<String, Finding> current = new LinkedHashMap<>();
        for (Finding f : findings) {
            current.putIfAbsent(key(f.code(), f.server()), f);
        }
        for (Map.Entry<String, Finding> e : current.entrySet()) {
            if (!raised.containsKey(e.getKey())) {
                raised.put(e.getKey(), now);
                Finding f = e.getValue();
                out.add(new Line("Cluster " + cluster + ": raised " + f.sentence(), f.code(), f.server()));
            }
        }
        for (var it = raised.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Instant> e = it.next();
            if (!current.containsKey(e.getKey())) {
                it.remove();
                String[] k = e.getKey().split(" ", 2);
                out.add(new Line("Cluster " + cluster + ": cleared " + e.getKey() + " after "
                        + lasted(Duration.between(e.getValue(), now)),
                        FindingCode.valueOf(k[0]), k.length > 1 ? InstanceKey.parse(k[1]) : null));
            }
        }

        // An Act is logged where the operation starts; what follows it (skip, wait) is a change again.
        String decisionKey = decision instanceof Decision.Act ? "act" : steady(decision.sentence());
        if (!(decision instanceof Decision.Act) && this.decision != null && !decisionKey.equals(this.decision)) {
            out.add(new Line("Cluster " + cluster + ": " + decision.sentence(), null, null));
        }
        this.decision = decisionKey;

        if (out.isEmpty() && !Duration.between(lastSummary, now).minus(summaryEvery).isNegative()) {
            out.add(new Line("Summary, every " + dev.warden.config.DurationText.format(summaryEvery) + ": "
                    + sentence, null, null));
        }
        if (!out.isEmpty()) {
            lastSummary = now;
        }
        return out;
    }

    private static String key(FindingCode code, InstanceKey server) {
        return code.name() + (server == null ? "" : " " + server);
    }

    /** "0.8s", "95.0s", "12min", "3.5h": how long a finding stood. */
    static String lasted(Duration d) {
        long ms = d.toMillis();
        if (ms < 120_000) {
            return String.format(java.util.Locale.ROOT, "%.1fs", ms / 1000.0);
        }
        if (ms < 7_200_000) {
            long s = ms / 1000;
            return s / 60 + "min" + (s % 60 == 0 ? "" : " " + s % 60 + "s");
        }
        return String.format(java.util.Locale.ROOT, "%.1fh", ms / 3_600_000.0);
    }

    /** The sentence without the figures that move every cycle. */
    static String steady(String text) {
        return MOVING_FIGURE.matcher(text).replaceAll("#");
    }
}
