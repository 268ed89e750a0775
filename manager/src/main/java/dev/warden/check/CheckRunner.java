package dev.warden.check;

import dev.warden.config.ClusterConfig;
import dev.warden.config.ProbeSettings;
import dev.warden.dialect.Row;
import dev.warden.dialect.Sql;
import dev.warden.model.ClusterSnapshot;
import dev.warden.model.InstanceKey;
import dev.warden.model.InstanceSnapshot;
import dev.warden.probe.ClusterProber;
import dev.warden.probe.ConnectionFactory;
import dev.warden.probe.Deadline;
import dev.warden.probe.FailureClassifier;
import dev.warden.probe.Jdbc;
import dev.warden.topology.Role;
import dev.warden.topology.Topology;
import dev.warden.topology.TopologyNode;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;

/** Gathers facts for {@code warden check} (probe, grants) and evaluates them. Changes nothing on any server. */
public final class CheckRunner {

    private CheckRunner() {
    }

    public record ClusterReport(String cluster, List<CheckResult> results) {
        public Verdict verdict() {
            return results.stream().map(CheckResult::verdict).max(Enum::compareTo).orElse(Verdict.PASS);
        }
    }

    public static ClusterReport run(ClusterConfig cluster, ProbeSettings probe, ExecutorService pool) {
        return run(cluster, probe, ServerChecks.HeartbeatRule.DEFAULT, pool);
    }

    public static ClusterReport run(ClusterConfig cluster, ProbeSettings probe, ServerChecks.HeartbeatRule heartbeat,
                                    ExecutorService pool) {
        ConnectionFactory factory = new ConnectionFactory(cluster.credentials(), probe.connectTimeout());
        // Generous timeouts: a check is interactive, and a slow answer is not the question here.
        Duration read = probe.readTimeout().multipliedBy(4).compareTo(Duration.ofSeconds(5)) > 0
                ? probe.readTimeout().multipliedBy(4) : Duration.ofSeconds(5);
        try (ClusterProber prober = new ClusterProber(factory, pool, Clock.systemUTC(), read, probe.writeTimeout(),
                "warden-check")) {
            ClusterSnapshot snap = prober.probe(cluster.name(), cluster.keys(), null);
            Topology topology = Topology.of(snap, cluster.keys(), null);
            List<CheckResult> results = new ArrayList<>();
            for (InstanceKey key : cluster.keys()) {
                InstanceSnapshot s = snap.get(key).orElseThrow();
                ServerFacts facts = gather(factory, s, read);
                TopologyNode node = topology.nodes().get(key);
                results.addAll(ServerChecks.evaluate(facts, node == null ? Role.UNKNOWN : node.role(),
                        cluster.credentials().user(), heartbeat));
            }
            results.addAll(ClusterChecks.evaluate(topology));
            return new ClusterReport(cluster.name(), results);
        }
    }

    private static ServerFacts gather(ConnectionFactory factory, InstanceSnapshot s, Duration read) {
        if (!s.reachable()) {
            return new ServerFacts(s, null, null, "unreachable");
        }
        Deadline deadline = Deadline.after(read);
        try (Connection c = factory.open(s.key(), read)) {
            String account = Jdbc.query(c, Sql.of("SELECT CURRENT_USER() AS account"), deadline).get(0).get("account");
            List<String> lines = new ArrayList<>();
            for (Row r : Jdbc.query(c, Sql.of("SHOW GRANTS"), deadline)) {
                lines.add(r.asMap().values().iterator().next());
            }
            return new ServerFacts(s, GrantSet.parse(lines), quoteAccount(account), null);
        } catch (SQLException e) {
            return new ServerFacts(s, null, null, FailureClassifier.message(e));
        }
    }

    /** warden@% as 'warden'@'%'. */
    static String quoteAccount(String account) {
        int at = account.lastIndexOf('@');
        if (at < 0) {
            return "'" + account + "'";
        }
        return "'" + account.substring(0, at) + "'@'" + account.substring(at + 1) + "'";
    }
}
