package dev.warden.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The metric names that docs/prometheus's alert rules and docs/grafana's dashboard use, and those a scrape shows. */
public final class MonitoringFiles {

    public static final Path ROOT = Path.of(System.getProperty("warden.repo.root", "..")).toAbsolutePath().normalize();
    public static final Path RULES = ROOT.resolve("docs/prometheus/warden-alerts.yml");
    public static final Path RULE_TESTS = ROOT.resolve("docs/prometheus/warden-alerts.test.yml");
    public static final Path DASHBOARD = ROOT.resolve("docs/grafana/warden-dashboard.json");

    /** Exported only by a manager that runs with coordination: checked on one (ManagersScenarios). */
    public static final Set<String> WITH_COORDINATION = Set.of("warden_leader", "warden_leadership_changes_total",
            "warden_manager_quorum_rounds_total", "warden_coordination_latency_seconds_bucket");

    private static final Pattern NAME = Pattern.compile("\\b((?:warden|jvm|process)_[a-z0-9_]+)\\b");

    private MonitoringFiles() {
    }

    /** Every Warden, JVM and process metric named in the rules and the dashboard. */
    public static Set<String> used() throws IOException {
        Set<String> names = new TreeSet<>();
        for (Path f : new Path[] {RULES, DASHBOARD}) {
            Matcher m = NAME.matcher(Files.readString(f));
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /** The metric names of a Prometheus text exposition (histogram series keep their _bucket/_count/_sum). */
    public static Set<String> exposed(String scrape) {
        Set<String> names = new TreeSet<>();
        for (String line : scrape.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int end = 0;
            while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
                end++;
            }
            names.add(line.substring(0, end));
        }
        return names;
    }
}
