package dev.warden.migrate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts an orchestrator.conf.json into a warden.yaml: what maps, and, key by key with its line, what does not
 * and why. Secrets are never copied: the YAML refers to environment variables. Pure (text in, text out).
 */
public final class OrchestratorImport {

    /** One key of the source and what became of it. */
    public record Line(int line, String key, boolean mapped, String note) {
        @Override
        public String toString() {
            return "line " + line + ": " + key + ": " + (mapped ? "" : "not mapped: ") + note;
        }
    }

    public record Result(String yaml, List<Line> report) {
    }

    /** Orchestrator's hook lists and the Warden event each becomes (null: not mapped). */
    private static final Map<String, String> HOOKS = new LinkedHashMap<>();

    static {
        HOOKS.put("OnFailureDetectionProcesses", "failure_detected");
        HOOKS.put("PreFailoverProcesses", "pre_failover");
        HOOKS.put("PostMasterFailoverProcesses", "post_failover");
        HOOKS.put("PostFailoverProcesses", "post_failover");
        HOOKS.put("PostUnsuccessfulFailoverProcesses", "failover_failed");
        HOOKS.put("PreGracefulTakeoverProcesses", "pre_switchover");
        HOOKS.put("PostGracefulTakeoverProcesses", "post_switchover");
        HOOKS.put("PostIntermediateMasterFailoverProcesses", null);
    }

    /** Keys with no Warden equivalent, and why. */
    private static final Map<String, String> NOT_MAPPED = new LinkedHashMap<>();

    static {
        NOT_MAPPED.put("BackendDB", "Warden keeps its own store (store: in warden.yaml; SQLite by default)");
        NOT_MAPPED.put("MySQLOrchestratorHost", "Warden keeps its own store (store.mysql for a shared one)");
        NOT_MAPPED.put("MySQLOrchestratorPort", "Warden keeps its own store");
        NOT_MAPPED.put("MySQLOrchestratorDatabase", "Warden keeps its own store");
        NOT_MAPPED.put("MySQLOrchestratorUser", "Warden keeps its own store");
        NOT_MAPPED.put("MySQLOrchestratorPassword", "Warden keeps its own store");
        NOT_MAPPED.put("SQLite3DataFile", "Warden keeps its own store (store.path)");
        NOT_MAPPED.put("RaftEnabled", "several managers coordinate through ZooKeeper (coordination.zookeeper)");
        NOT_MAPPED.put("RaftDataDir", "several managers coordinate through ZooKeeper (coordination.zookeeper)");
        NOT_MAPPED.put("RaftBind", "several managers coordinate through ZooKeeper (coordination.zookeeper)");
        NOT_MAPPED.put("RaftNodes", "several managers coordinate through ZooKeeper (coordination.zookeeper)");
        NOT_MAPPED.put("AuthenticationMethod", "console users and API tokens: warden passwd / warden token");
        NOT_MAPPED.put("HTTPAuthUser", "console users and API tokens: warden passwd / warden token");
        NOT_MAPPED.put("HTTPAuthPassword", "console users and API tokens: warden passwd / warden token");
        NOT_MAPPED.put("KVClusterMasterPrefix", "Warden does not publish the primary to a KV store yet");
        NOT_MAPPED.put("ConsulAddress", "Warden does not publish the primary to Consul");
        NOT_MAPPED.put("ZkAddress", "Warden does not publish the primary to ZooKeeper yet");
        NOT_MAPPED.put("RecoverIntermediateMasterClusterFilters", "Warden does not fail over intermediate primaries");
        NOT_MAPPED.put("FailureDetectionPeriodBlockMinutes", "Warden announces each finding once, while it lasts");
        NOT_MAPPED.put("FailMasterPromotionIfSQLThreadNotUpToDate", "Warden always has the candidate apply its "
                + "relay log before promoting it (the catch-up step), within failover.catch_up_timeout");
        NOT_MAPPED.put("DelayMasterPromotionIfSQLThreadNotUpToDate", "Warden always has the candidate apply its "
                + "relay log before promoting it (the catch-up step), within failover.catch_up_timeout");
        NOT_MAPPED.put("DetectClusterAliasQuery", "clusters are named in warden.yaml");
        NOT_MAPPED.put("DetectClusterDomainQuery", "clusters are named in warden.yaml");
        NOT_MAPPED.put("DetectInstanceAliasQuery", "servers are named by host:port");
        NOT_MAPPED.put("DetectPromotionRuleQuery", "promotion rules are set per server in warden.yaml");
        NOT_MAPPED.put("MySQLTopologyCredentialsConfigFile", "give the user in credentials.user and the "
                + "password in the environment variable WARDEN_PASSWORD");
        NOT_MAPPED.put("MySQLConnectTimeoutSeconds", "Warden's probe timeouts are sub-second by default "
                + "(probe.connect_timeout, probe.read_timeout)");
        NOT_MAPPED.put("PromotionIgnoreHostnameFilters", "set promotion: must_not on the matching servers in "
                + "clusters.<name>.servers (Warden matches no host-name patterns)");
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private OrchestratorImport() {
    }

    /** @throws IllegalArgumentException when the text is not a JSON object, saying where */
    public static Result convert(String json) {
        Map<String, Integer> lines = topLevelLines(json);
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON" + (e.getLocation() == null ? "" : " at line "
                    + e.getLocation().getLineNr()) + ": " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("an orchestrator.conf.json holds one JSON object ({...}); this holds "
                    + (root == null ? "nothing" : root.getNodeType().name().toLowerCase()));
        }
        List<Line> report = new ArrayList<>();
        StringBuilder y = new StringBuilder("# Converted from orchestrator.conf.json by warden import-orchestrator.\n"
                + "# Secrets are not copied: set the environment variables named below before warden run.\n");

        // credentials
        String user = text(root, "MySQLTopologyUser");
        String replUser = text(root, "MySQLReplicaUser");
        y.append("credentials:\n  user: ").append(quote(user == null ? "warden" : user)).append('\n')
                .append("  password: ${WARDEN_PASSWORD}\n")
                .append("  replication_user: ").append(quote(replUser == null ? "repl" : replUser)).append('\n')
                .append("  replication_password: ${WARDEN_REPLICATION_PASSWORD}\n");
        mapped(report, lines, root, "MySQLTopologyUser", "credentials.user");
        mapped(report, lines, root, "MySQLTopologyPassword", "credentials.password refers to ${WARDEN_PASSWORD}; "
                + "the password itself is not copied");
        mapped(report, lines, root, "MySQLReplicaUser", "credentials.replication_user");
        mapped(report, lines, root, "MySQLReplicaPassword", "credentials.replication_password refers to "
                + "${WARDEN_REPLICATION_PASSWORD}; the password itself is not copied");

        // probe
        if (root.has("InstancePollSeconds") && root.get("InstancePollSeconds").canConvertToInt()) {
            int s = Math.max(1, Math.min(60, root.get("InstancePollSeconds").asInt()));
            y.append("probe:\n  interval: ").append(s).append("s\n");
            mapped(report, lines, root, "InstancePollSeconds", "probe.interval " + s + "s (Warden probes every 50 ms "
                    + "while a primary looks gone, whatever the interval)");
        }

        // failover
        StringBuilder f = new StringBuilder();
        if (root.has("RecoveryPeriodBlockSeconds") && root.get("RecoveryPeriodBlockSeconds").canConvertToInt()) {
            int s = Math.max(0, Math.min(7 * 86_400, root.get("RecoveryPeriodBlockSeconds").asInt()));
            f.append("  anti_flap: ").append(s).append("s\n");
            mapped(report, lines, root, "RecoveryPeriodBlockSeconds", "failover.anti_flap " + s + "s (warden ack "
                    + "lifts it, as orchestrator-client -c ack-cluster-recoveries does)");
        }
        if (root.has("RecoverMasterClusterFilters")) {
            List<String> filters = strings(root.get("RecoverMasterClusterFilters"));
            boolean all = filters.stream().anyMatch(x -> x.equals("*") || x.equals(".*"));
            f.append("  automatic: ").append(all).append('\n');
            mapped(report, lines, root, "RecoverMasterClusterFilters", all ? "failover.automatic: true (every cluster)"
                    : "failover.automatic: false: Warden has no per-cluster filter; " + (filters.isEmpty()
                    ? "no cluster was recovered automatically" : "the filters " + filters + " named only some "
                    + "clusters: decide whether to turn it on for all, or run one Warden per group"));
        }
        f.append("  mode: observe       # shadow mode beside orchestrator: decide and record, change nothing; "
                + "set act to take over\n");
        y.append("failover:\n").append(f);

        // http
        if (root.has("ListenAddress")) {
            report.add(new Line(lines.getOrDefault("ListenAddress", 0), "ListenAddress", false, "orchestrator keeps "
                    + "its port while both run: Warden listens on its default, http.listen 127.0.0.1:8080 (to open "
                    + "it to other hosts, add users first; Warden refuses to listen widely without access control)"));
        }

        // hooks
        List<String> hooks = new ArrayList<>();
        for (Map.Entry<String, String> h : HOOKS.entrySet()) {
            if (!root.has(h.getKey())) {
                continue;
            }
            List<String> commands = strings(root.get(h.getKey()));
            if (h.getValue() == null) {
                report.add(new Line(lines.getOrDefault(h.getKey(), 0), h.getKey(), false,
                        "Warden does not fail over intermediate primaries" + (commands.isEmpty() ? ""
                                : " (" + commands.size() + " command(s) dropped)")));
                continue;
            }
            int i = 0;
            for (String c : commands) {
                i++;
                boolean async = c.strip().endsWith("&");
                String command = async ? c.strip().substring(0, c.strip().length() - 1).strip() : c;
                String name = h.getKey().replace("Processes", "").toLowerCase() + "-" + i;
                boolean gate = h.getValue().equals("pre_failover") || h.getValue().equals("pre_switchover");
                hooks.add("  - name: " + name + "\n    type: command\n    command: [/bin/sh, -c, "
                        + quote(command) + "]\n    events: [" + h.getValue() + "]\n    class: "
                        + (gate && !async ? "gate" : "best_effort") + "\n    timeout: 30s\n");
            }
            mapped(report, lines, root, h.getKey(), commands.size() + " command hook(s) on " + h.getValue()
                    + (h.getValue().startsWith("pre_") ? " (class gate: a failure stops the operation, as "
                    + "orchestrator's does; a command ending in & becomes best_effort)" : "")
                    + "; {placeholders} and ORC_* variables are given as orchestrator gives them");
        }
        if (!hooks.isEmpty()) {
            y.append("hooks:\n");
            hooks.forEach(y::append);
        }

        // clusters from the seeds
        List<String> seeds = root.has("DiscoverySeeds") ? strings(root.get("DiscoverySeeds")) : List.of();
        y.append("clusters:\n");
        if (seeds.isEmpty()) {
            y.append("  main:                # orchestrator's config names no servers: list each cluster's here\n"
                    + "    servers: [db1.example.com:3306]\n");
        } else {
            int n = 0;
            for (String s : seeds) {
                n++;
                y.append("  cluster-").append(n).append(":           # rename; Warden discovers the rest from ")
                        .append("this seed\n    servers: [").append(quote(s.contains(":") ? s : s + ":3306"))
                        .append("]\n");
            }
            mapped(report, lines, root, "DiscoverySeeds", seeds.size() + " cluster(s), one per seed (rename them; "
                    + "give the servers of one cluster together if two seeds are in the same one)");
        }

        // everything else
        root.fieldNames().forEachRemaining(k -> {
            if (report.stream().anyMatch(l -> l.key().equals(k))) {
                return;
            }
            String why = NOT_MAPPED.getOrDefault(k, "no Warden equivalent");
            report.add(new Line(lines.getOrDefault(k, 0), k, false, why));
        });
        report.sort(java.util.Comparator.comparingInt(Line::line));
        return new Result(y.toString(), List.copyOf(report));
    }

    private static void mapped(List<Line> report, Map<String, Integer> lines, JsonNode root, String key, String to) {
        if (root.has(key)) {
            report.add(new Line(lines.getOrDefault(key, 0), key, true, "mapped to " + to));
        }
    }

    private static String text(JsonNode root, String key) {
        JsonNode n = root.get(key);
        return n == null || n.isNull() || !n.isValueNode() ? null : n.asText();
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n != null && n.isArray()) {
            n.forEach(x -> {
                if (x.isValueNode()) {
                    out.add(x.asText());
                }
            });
        }
        return out;
    }

    /**
     * A YAML double-quoted scalar whose text reaches Warden as written: {@code $} doubled (warden.yaml reads
     * {@code ${VAR}}), backslashes, quotes and control characters escaped.
     */
    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '\\' -> b.append("\\\\");
                case '"' -> b.append("\\\"");
                case '$' -> b.append("$$");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        b.append(String.format("\\x%02x", (int) ch));
                    } else {
                        b.append(ch);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** The line each top-level key is on. */
    private static Map<String, Integer> topLevelLines(String json) {
        Map<String, Integer> out = new LinkedHashMap<>();
        try (JsonParser p = new JsonFactory().createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return out;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                out.put(p.currentName(), p.currentLocation().getLineNr());
                p.nextToken();
                p.skipChildren();
            }
        } catch (IOException e) {
            // the full parse says what is wrong
        }
        return out;
    }
}
