package dev.warden.coordination;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxInstance;
import dev.warden.testing.Await;
import dev.warden.testing.Convergence;
import dev.warden.testing.Daemon;
import dev.warden.testing.RootSql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three managers, each in its own JVM, on a real three-server ZooKeeper ensemble (in the test JVM, 127.0.0.1) and a
 * shared MySQL store, watching one real cluster: only the leader acts, a verdict needs two of the three, a leader
 * that dies or is paused mid-failover leaves it to the next one, and without ZooKeeper nobody acts.
 */
abstract class ManagersScenarios {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration CONVERGE = Duration.ofSeconds(45);
    static final List<String> NAMES = List.of("site-a", "site-b", "site-c");
    static final AtomicInteger SCHEMAS = new AtomicInteger();

    abstract Sandbox sandbox();

    abstract Sandbox storeServer();

    /**
     * Whether the scenarios that depend on coordination only (not on the servers' flavor) run here too: on one
     * flavor they do; the other runs those where the servers' behaviour matters (fencing, the term, re-pointing).
     */
    boolean coordinationScenarios() {
        return true;
    }

    void onlyWithCoordinationScenarios() {
        org.junit.jupiter.api.Assumptions.assumeTrue(coordinationScenarios(),
                "flavor-independent coordination scenario: run on the other flavor");
    }

    TestingCluster zk;
    final List<Daemon> managers = new ArrayList<>();

    /** A failed scenario prints the end of every manager's log (before they are stopped and their files go). */
    @org.junit.jupiter.api.extension.RegisterExtension
    final org.junit.jupiter.api.extension.TestExecutionExceptionHandler tails = (context, thrown) -> {
        for (Daemon d : managers) {
            String[] lines = d.output().split("\n");
            System.out.println("---- manager on port " + d.httpPort + ", last lines of " + lines.length + " ----");
            for (int i = Math.max(0, lines.length - 80); i < lines.length; i++) {
                System.out.println(lines[i]);
            }
        }
        throw thrown;
    };
    String schema;

    @BeforeEach
    void ensemble() throws Exception {
        zk = dev.warden.testing.ZkEnsemble.three();
        Sandbox st = storeServer();
        schema = "warden_managers_" + SCHEMAS.incrementAndGet() + "_" + System.nanoTime() % 100000;
        RootSql.exec(st, st.primary(), "CREATE DATABASE " + schema,
                "CREATE USER IF NOT EXISTS 'store'@'%' IDENTIFIED BY 'store-pw'",
                "GRANT ALL ON " + schema + ".* TO 'store'@'%'");
    }

    final List<dev.warden.testing.TcpCut> cuts = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        cuts.forEach(dev.warden.testing.TcpCut::close);
        for (Daemon d : managers) {
            try {
                if (d.process() != null) {
                    Runtime.getRuntime().exec(new String[] {"kill", "-CONT", Long.toString(d.process().pid())})
                            .waitFor();
                }
                d.close();
            } catch (Exception e) {
                // the others still close
            }
        }
        zk.close();
    }

    /** A manager's configuration: its own console port, the shared store, and the coordination. */
    Daemon manager(String name) throws Exception {
        return manager(name, zk.getConnectString());
    }

    /** A manager that reaches ZooKeeper through {@code connect} (relays a test can cut, say). */
    Daemon manager(String name, String connect) throws Exception {
        Daemon d = new Daemon(sandbox());
        Sandbox st = storeServer();
        String yaml = Files.readString(d.config).replaceAll("store:\\n  path: [^\\n]*\\n",
                "store:\n  mysql:\n    url: jdbc:mysql://127.0.0.1:" + st.primary().port() + "/" + schema
                        + "?allowPublicKeyRetrieval=true\n    user: store\n    password: store-pw\n");
        yaml += "\nmanager:\n  name: " + name + "\n  url: http://127.0.0.1:" + d.httpPort + "\n"
                + "coordination:\n  zookeeper:\n    connect: " + connect + "\n    root: /warden\n"
                + "    session_timeout: 2s\n    connection_timeout: 1s\n  managers: [" + String.join(", ", NAMES) + "]\n";
        Files.writeString(d.config, yaml);
        managers.add(d);
        return d;
    }

    /** Starts site-a alone until it leads, then the others (so site-a leads). */
    List<Daemon> threeLedBySiteA(List<String> leaderJvm) throws Exception {
        return ledBy(manager("site-a").startWith(leaderJvm));
    }

    /** Site-a (started) until it leads, then site-b and site-c, healthy; returns the three. */
    List<Daemon> ledBy(Daemon a) throws Exception {
        a.awaitHealthy();
        Await.until("site-a leads", CONVERGE, a::output, o -> o.contains("this manager leads it (epoch"));
        Daemon b = manager("site-b").startWith(List.of());
        Daemon c = manager("site-c").startWith(List.of());
        b.awaitHealthy();
        c.awaitHealthy();
        return List.of(a, b, c);
    }

    static List<JsonNode> failovers(Daemon d) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode o : JSON.readTree(d.get("/api/operations").body())) {
            if ("FAILOVER".equals(o.get("kind").asText())) {
                out.add(o);
            }
        }
        return out;
    }

    static JsonNode awaitOutcome(Daemon d, String id) {
        return Await.until(id + " to end", CONVERGE, () -> {
            try {
                var r = d.get("/api/operations/" + id);
                JsonNode op = r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
                return op != null && !"RUNNING".equals(op.get("outcome").asText()) ? op : null;
            } catch (Exception e) {
                return null;
            }
        }, x -> x != null);
    }

    static SandboxInstance byPort(Sandbox sb, int port) {
        return sb.instances().stream().filter(i -> i.port() == port).findFirst().orElseThrow();
    }

    static void signal(Daemon d, String sig) throws Exception {
        assertThat(Runtime.getRuntime().exec(new String[] {"kill", "-" + sig, Long.toString(d.process().pid())})
                .waitFor()).isZero();
    }

    /**
     * The step boundaries of a failover at which the leader is killed: every one on one flavor; on the other, the
     * two around the promotion (its effect on the server recorded or not), where the servers' behaviour matters.
     */
    java.util.Set<String> killedLeaderBoundaries() {
        return java.util.Set.of("opened", "before:promote", "ran:promote", "after:promote", "after:re-point",
                "finish");
    }

    /**
     * kill -9 of the leader at a step boundary of a failover (recorded before any step; the promotion started, run
     * on the server but not recorded, recorded; one replica re-pointed; every step done but the end not recorded):
     * another manager finds the operation in the shared journal and finishes that same operation, once: one
     * promotion, one writable primary, the replicas on it with its term, the whole record.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "killed at {0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"opened", "before:promote", "ran:promote",
            "after:promote", "after:re-point", "finish"})
    void theLeaderKilledAtAStepBoundaryLeavesTheFailoverToAnotherWhoFinishesIt(String point) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(killedLeaderBoundaries().contains(point),
                "boundary " + point + " runs on the other flavor");
        Sandbox sb = sandbox();
        SandboxInstance old = sb.primary();
        List<Daemon> m = threeLedBySiteA(List.of("-Dwarden.test.pause-at=" + point));
        if (point.equals("after:promote")) {
            followersRefuseChangesAndSayWhoLeads(m);
        }
        sb.kill(old);
        String id = m.get(0).awaitPaused(point);
        m.get(0).crash();
        JsonNode op = awaitOutcome(m.get(1), id);
        assertThat(op.get("outcome").asText()).as(op.toString()).isEqualTo("SUCCEEDED");
        assertThat(op.get("summary").asText()).startsWith("Resumed after a manager restart");
        List<SandboxInstance> writable = Convergence.writable(sb);
        assertThat(writable).hasSize(1);
        SandboxInstance candidate = writable.get(0);
        assertThat(candidate.key().toString()).isEqualTo(op.get("candidate").asText());
        Convergence.onePrimary(sb, candidate, sb.replicas().stream().filter(r -> !r.equals(candidate)).toList(),
                CONVERGE);
        assertThat(failovers(m.get(1))).as("one failover in the shared journal").hasSize(1);
        String leader = m.get(1).output().contains("this manager leads it (epoch") ? "site-b" : "site-c";
        Daemon next = leader.equals("site-b") ? m.get(1) : m.get(2);
        assertThat(next.output()).contains("1 unfinished operation(s)");
        long term = termEpoch(sb, candidate);
        assertThat(term).as("the new primary carries the promoting leadership's epoch").isPositive();
        for (SandboxInstance r : sb.replicas()) {
            if (!r.equals(candidate) && !r.equals(old)) {
                assertThat(termEpoch(sb, r)).as(r.name() + " shows the new primary's term once re-pointed")
                        .isEqualTo(term);
            }
        }
        if (point.equals("ran:promote")) {
            JsonNode promote = null;
            for (JsonNode step : op.get("steps")) {
                promote = "promote".equals(step.get("kind").asText()) ? step : promote;
            }
            assertThat(promote.get("status").asText()).as("the promotion found done, not run twice: " + promote)
                    .isEqualTo("ALREADY_DONE");
        }
        for (JsonNode step : op.get("steps")) {
            assertThat(step.get("status").asText()).as("every step of " + id + " held: " + step)
                    .isIn("DONE", "ALREADY_DONE", "PENDING");
        }
    }

    /** The epoch in the server's warden.term row for the cluster; 0 without one. */
    static long termEpoch(Sandbox sb, SandboxInstance i) {
        try {
            String v = dev.warden.testing.RootSql.value(sb, i, "SELECT epoch FROM warden.term WHERE cluster = 'sandbox'");
            return v == null ? 0 : Long.parseLong(v);
        } catch (IllegalStateException noTable) {
            return 0;
        }
    }

    /**
     * A server that replicates from nobody and is writable, carrying an older warden.term epoch than the primary (a
     * replica detached and opened for writes by hand, say; not one of Warden's fenced old primaries) is a stale
     * primary: the leader fences it, and the primary stays writable.
     */
    @Test
    void aWritableServerWithAnOlderEpochIsFencedByTheLeader() throws Exception {
        Sandbox sb = sandbox();
        SandboxInstance primary = sb.primary();
        Daemon a = manager("site-a").startWith(List.of());
        a.awaitHealthy();
        Await.until("site-a leads", CONVERGE, a::output, o -> o.contains("this manager leads it (epoch"));
        long epoch = JSON.readTree(a.get("/api/clusters/sandbox").body()).get("leadership").get("epoch").asLong();
        assertThat(epoch).isPositive();
        // As a promotion by this leadership would have left it.
        RootSql.exec(sb, primary, dev.warden.dialect.TermSql.CREATE.text(),
                dev.warden.dialect.TermSql.write("sandbox", epoch, "site-a").text());
        SandboxInstance stale = sb.replicas().get(0);
        Await.until(stale.name() + " shows the term", CONVERGE, () -> termEpoch(sb, stale), e -> e == epoch);
        boolean mysql = sb.flavor().flavor() == dev.warden.model.Flavor.MYSQL;
        RootSql.replicaCommand(sb, stale, d -> d.stopReplica(""));
        RootSql.replicaCommand(sb, stale, d -> d.resetReplicaAll(""));
        RootSql.exec(sb, stale, "SET SESSION sql_log_bin = 0", mysql ? "SET GLOBAL super_read_only = OFF"
                : "SET GLOBAL read_only = OFF", "SET GLOBAL read_only = OFF", "DELETE FROM warden.term");
        int before = a.output().length();
        Await.until(stale.name() + " fenced as a stale primary", CONVERGE,
                () -> RootSql.value(sb, stale, "SELECT @@global.read_only"), v -> "1".equals(v));
        assertThat(a.output().substring(before)).contains("a stale primary");
        assertThat(Convergence.writable(sb)).containsExactly(primary);
    }

    /** The surfaces: who leads, at which epoch; a follower changes nothing and sends people to the leader. */
    void followersRefuseChangesAndSayWhoLeads(List<Daemon> m) throws Exception {
        Daemon a = m.get(0);
        Daemon b = m.get(1);
        JsonNode managers = Await.until("site-b sees all three managers", CONVERGE, () -> {
            try {
                return JSON.readTree(b.get("/api/managers").body());
            } catch (Exception e) {
                return null;
            }
        }, j -> j != null && j.get("managers").size() == 3 && j.get("managers").findValues("up").stream()
                .allMatch(JsonNode::asBoolean));
        assertThat(managers.get("self").asText()).isEqualTo("site-b");
        JsonNode siteA = managers.get("managers").get(0);
        assertThat(siteA.get("name").asText()).isEqualTo("site-a");
        assertThat(siteA.get("leads").toString()).isEqualTo("[\"sandbox\"]");
        assertThat(siteA.get("epoch").asLong()).isPositive();
        assertThat(siteA.get("url").asText()).isEqualTo("http://127.0.0.1:" + a.httpPort);
        Await.until("site-a's metrics say it leads", CONVERGE, () -> {
            try {
                return a.get("/metrics").body();
            } catch (Exception e) {
                return "";
            }
        }, body -> body.contains("warden_leader{cluster=\"sandbox\"} 1.0"));
        assertThat(b.get("/metrics").body()).contains("warden_leader{cluster=\"sandbox\"} 0.0");
        assertThat(b.get("/metrics").body()).contains("warden_coordination_latency_seconds_count{kind=\"read\"");
        // What docs/ monitors with several managers is exported from the first cycle (counters at 0).
        assertThat(dev.warden.testing.MonitoringFiles.exposed(a.get("/metrics").body()))
                .containsAll(dev.warden.testing.MonitoringFiles.WITH_COORDINATION);
        var status = dev.warden.testing.Cli.run("status", "-c", b.config.toString());
        assertThat(status.out()).as(status.toString()).contains("Cluster sandbox: led by site-a (epoch ");
        assertThat(a.get("/health/leader").statusCode()).isEqualTo(200);
        assertThat(b.get("/health/leader").statusCode()).isEqualTo(503);
        // Load-balancer checks: only the leader marks the primary up; a follower names the leader.
        String lb = "/lb/sandbox/primary/" + sandbox().primary().key();
        var fromLeader = Await.until("the leader's check marking the primary up", CONVERGE, () -> {
            try {
                return a.get(lb);
            } catch (Exception e) {
                return null;
            }
        }, r -> r != null && r.statusCode() == 200);
        assertThat(fromLeader.body()).contains("is the writable primary");
        var fromFollower = b.get(lb);
        assertThat(fromFollower.statusCode()).as(fromFollower.body()).isEqualTo(503);
        assertThat(fromFollower.body()).contains("site-a");
        assertThat(JSON.readTree(a.get("/orchestrator/api/health").body()).path("Details").path("IsActiveNode")
                .asBoolean()).isTrue();
        assertThat(JSON.readTree(b.get("/orchestrator/api/health").body()).path("Details").path("IsActiveNode")
                .asBoolean()).as("Orchestrator's active node is the leader").isFalse();
        JsonNode cluster = JSON.readTree(b.get("/api/clusters/sandbox").body());
        assertThat(cluster.get("leadership").get("leader").asText()).isEqualTo("site-a");
        assertThat(cluster.get("leadership").get("leadsHere").asBoolean()).isFalse();
        var refused = b.post("/api/clusters/sandbox/switchover", "{}");
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.body()).contains("site-a leads cluster sandbox").contains("http://127.0.0.1:" + a.httpPort);
        var maintenance = b.post("/api/clusters/sandbox/maintenance", "{\"enabled\": true}");
        assertThat(maintenance.statusCode()).isEqualTo(503);
        assertThat(Convergence.writable(sandbox())).containsExactly(sandbox().primary());
        assertThat(JSON.readTree(a.get("/api/clusters/sandbox").body()).get("controls").toString())
                .doesNotContain("\"maintenance\":true");
    }

    /**
     * The leader is paused mid-failover (SIGSTOP) past its session: another leads and finishes it; let go, the old
     * leader's next step is refused by ZooKeeper and it runs nothing more.
     */
    @Test
    void aLeaderPausedPastItsSessionRunsNoFurtherStepWhenItWakes() throws Exception {
        Sandbox sb = sandbox();
        SandboxInstance old = sb.primary();
        Path release = sb.spec().dir().resolve("release-" + System.nanoTime());
        List<Daemon> m = threeLedBySiteA(List.of("-Dwarden.test.pause-at=ran:catch-up",
                "-Dwarden.test.pause-release=" + release));
        sb.kill(old);
        Daemon a = m.get(0);
        String id = a.awaitPaused("ran:catch-up");
        signal(a, "STOP");
        JsonNode op = awaitOutcome(m.get(1), id);
        assertThat(op.get("outcome").asText()).isEqualTo("SUCCEEDED");
        SandboxInstance candidate = Convergence.writable(sb).get(0);
        int before = a.output().length();
        signal(a, "CONT");
        Files.writeString(release, "go");
        Await.until("site-a's next step refused", CONVERGE, a::output, o -> o.substring(before)
                .contains("stays unfinished in the journal for the next leader"));
        assertThat(a.output().substring(before)).doesNotContain(id + ": step 3 started");
        Convergence.onePrimary(sb, candidate, sb.replicas().stream().filter(r -> !r.equals(candidate)).toList(),
                CONVERGE);
        JsonNode after = awaitOutcome(m.get(1), id);
        assertThat(after.get("outcome").asText()).as("the record the new leader wrote stands").isEqualTo("SUCCEEDED");
        assertThat(failovers(m.get(1))).hasSize(1);
        Await.until("site-a rejoins as a follower", CONVERGE, a::output, o -> o.substring(before)
                .contains("Cluster sandbox: led by site-"));
        assertThat(a.output().substring(before)).as("the deposed leader does not record the step it was in either")
                .doesNotContain(id + ": step 2 DONE");
    }

    /** One manager up out of three configured: its own verdict is not a majority, nothing is failed over. */
    @Test
    void oneManagerOfThreeIsNoMajorityAndASecondOneMakesIt() throws Exception {
        onlyWithCoordinationScenarios();
        Sandbox sb = sandbox();
        Daemon a = manager("site-a").startWith(List.of());
        a.awaitHealthy();
        Await.until("site-a leads", CONVERGE, a::output, o -> o.contains("this manager leads it (epoch"));
        int before = a.output().length();
        sb.kill(sb.primary());
        Await.until("held back for want of managers", CONVERGE, a::output, o -> o.substring(before)
                .contains("only 1/3 managers confirm (site-a), 2 needed"));
        Instant until = Instant.now().plusSeconds(4);
        while (Instant.now().isBefore(until)) {
            assertThat(Convergence.writable(sb)).as("no failover on one manager's word").isEmpty();
            Thread.sleep(200);
        }
        manager("site-b").startWith(List.of());
        Await.until("a new primary once two managers confirm", CONVERGE, () -> Convergence.writable(sb),
                w -> w.size() == 1);
        Await.until("the record names both managers", CONVERGE, () -> {
            try {
                return failovers(a);
            } catch (Exception e) {
                return List.<JsonNode>of();
            }
        }, l -> l.size() == 1);
        assertThat(a.output().substring(before)).contains("2/3 managers confirm (site-a, site-b)");
    }

    /** ZooKeeper loses its quorum, then the primary dies: nobody acts; once it is back, exactly one failover. */
    @Test
    void withoutZooKeeperNobodyActsAndExactlyOneFailoverFollowsItsReturn() throws Exception {
        onlyWithCoordinationScenarios();
        Sandbox sb = sandbox();
        List<Daemon> m = threeLedBySiteA(List.of());
        List<InstanceSpec> servers = new ArrayList<>(zk.getInstances());
        zk.killServer(servers.get(0));
        zk.killServer(servers.get(1));
        for (Daemon d : m) {
            Await.until("coordination down reported", CONVERGE, d::output, o -> o.contains("CoordinationDown"));
        }
        var refused = m.get(0).post("/api/clusters/sandbox/switchover", "{}");
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.body()).contains("coordination down");
        sb.kill(sb.primary());
        Instant until = Instant.now().plusSeconds(6);
        while (Instant.now().isBefore(until)) {
            assertThat(Convergence.writable(sb)).as("nobody acts without ZooKeeper").isEmpty();
            Thread.sleep(200);
        }
        zk.restartServer(servers.get(0));
        zk.restartServer(servers.get(1));
        Await.until("one new primary once ZooKeeper is back", Duration.ofSeconds(60), () -> Convergence.writable(sb),
                w -> w.size() == 1);
        Await.until("one failover recorded", CONVERGE, () -> {
            try {
                return failovers(m.get(1)).size();
            } catch (Exception e) {
                return -1;
            }
        }, n -> n == 1);
        assertThat(failovers(m.get(2))).hasSize(1);
    }

    /**
     * Break-glass: refused while a leader is visible; with ZooKeeper lost and the primary dead, an admin's failover
     * without coordination runs once on one manager's own verdict, audited; once ZooKeeper is back the new leader
     * takes it up from the shared journal and fails over nothing more.
     */
    @Test
    void aFailoverWithoutCoordinationIsRefusedWhileALeaderIsVisibleAndRunsOnceWhenZooKeeperIsLost() throws Exception {
        onlyWithCoordinationScenarios();
        Sandbox sb = sandbox();
        List<Daemon> m = threeLedBySiteA(List.of());
        Daemon b = m.get(1);
        Await.until("site-b follows site-a", CONVERGE, b::output, o -> o.contains("led by site-a"));
        String breakGlass = "{\"withoutCoordination\": true, \"reason\": \"ZooKeeper site lost, DBA on call\"}";
        var refused = b.post("/api/clusters/sandbox/failover", breakGlass);
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.body()).contains("site-a leads cluster sandbox").contains("refused while another manager");
        var leaderRefused = m.get(0).post("/api/clusters/sandbox/failover", breakGlass);
        assertThat(leaderRefused.body()).contains("this manager leads cluster sandbox");
        var noReason = b.post("/api/clusters/sandbox/failover", "{\"withoutCoordination\": true}");
        assertThat(noReason.statusCode()).isEqualTo(400);
        assertThat(noReason.body()).contains("needs a 'reason'");
        var cli = dev.warden.testing.Cli.run("failover", "-c", b.config.toString(), "--cluster", "sandbox",
                "--without-coordination");
        assertThat(cli.exitCode()).isNotZero();
        assertThat(cli.err()).contains("--without-coordination needs --reason");
        assertThat(Convergence.writable(sb)).containsExactly(sb.primary());

        List<InstanceSpec> servers = new ArrayList<>(zk.getInstances());
        zk.killServer(servers.get(0));
        zk.killServer(servers.get(1));
        for (Daemon d : m) {
            Await.until("coordination down reported", CONVERGE, d::output, o -> o.contains("CoordinationDown"));
        }
        SandboxInstance old = sb.primary();
        sb.kill(old);
        JsonNode op = Await.until("the break-glass failover through site-b", CONVERGE, () -> {
            try {
                var r = b.post("/api/clusters/sandbox/failover", breakGlass);
                return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
            } catch (Exception e) {
                return null;
            }
        }, j -> j != null);
        assertThat(op.get("outcome").asText()).isEqualTo("SUCCEEDED");
        assertThat(op.toString()).contains("break-glass failover without coordination")
                .contains("ZooKeeper site lost, DBA on call");
        List<SandboxInstance> writable = Convergence.writable(sb);
        assertThat(writable).hasSize(1);
        assertThat(b.get("/api/audit").body()).contains("failover without coordination");

        zk.restartServer(servers.get(0));
        zk.restartServer(servers.get(1));
        Await.until("a leader again", Duration.ofSeconds(60), () -> m.stream().filter(d -> {
            try {
                return d.get("/health/leader").statusCode() == 200;
            } catch (Exception e) {
                return false;
            }
        }).count(), n -> n == 1);
        Instant until = Instant.now().plusSeconds(4);
        while (Instant.now().isBefore(until)) {
            assertThat(Convergence.writable(sb)).as("the leader fails over nothing more").isEqualTo(writable);
            Thread.sleep(200);
        }
        for (Daemon d : m) {
            assertThat(failovers(d)).as("one failover in the shared journal").hasSize(1);
        }
    }

    /**
     * The leader cut off from the primary only (iptables drops what its JVM sends to the primary's port; the
     * replicas, the other managers and ZooKeeper still reach everything): it finds the primary unreachable, and
     * nothing is failed over while the others and the replicas reach it; once healed it sees it healthy again.
     */
    @Test
    void theLeaderCutOffFromThePrimaryOnlyFailsNothingOver() throws Exception {
        onlyWithCoordinationScenarios();
        Sandbox sb = sandbox();
        SandboxInstance primary = sb.primary();
        try (var nf = partitions()) {
            List<Daemon> m = ledBy(manager("site-a").startIn(nf.procs("site-a"), List.of()));
            Daemon a = m.get(0);
            Daemon b = m.get(1);
            Await.until("site-b follows site-a", CONVERGE, b::output, o -> o.contains("led by site-a"));
            int before = a.output().length();
            int beforeB = b.output().length();
            nf.drop(nf.group("site-a"), primary.port());
            String unreachable = "primary " + primary.key() + " unreachable";
            Await.until("site-a finds the primary unreachable", CONVERGE, a::output,
                    o -> o.substring(before).contains(unreachable));
            // Longer than the confirmation window, the replicas' silence limit and a few probe cycles.
            long until = System.nanoTime() + Duration.ofSeconds(8).toNanos();
            while (System.nanoTime() < until) {
                assertThat(failovers(a)).as("no failover while the others and the replicas reach the primary")
                        .isEmpty();
                assertThat(Convergence.writable(sb)).containsExactly(primary);
                Thread.sleep(250);
            }
            assertThat(a.output().substring(before)).as("still cut off at the end").contains(unreachable)
                    .doesNotContain(": step 1 started");
            assertThat(b.output().substring(beforeB)).contains("primary " + primary.key() + " writable")
                    .doesNotContain(unreachable);
            assertThat(failovers(b)).isEmpty();
            nf.heal();
            int healed = a.output().length();
            Await.until("site-a sees the primary healthy again", CONVERGE, a::output,
                    o -> o.substring(healed).contains("primary " + primary.key() + " writable"));
        }
    }

    /**
     * The leader cut off from ZooKeeper only (it still reaches every server): another manager leads within its
     * session timeout and a little, the cut-off one leads nothing and runs no step, and when the primary dies the new
     * leader fails over exactly once.
     */
    @Test
    void theLeaderCutOffFromZooKeeperOnlyIsReplacedAndStaysPassive() throws Exception {
        onlyWithCoordinationScenarios();
        Sandbox sb = sandbox();
        List<dev.warden.testing.TcpCut> relays = relays();
        List<Daemon> m = ledBy(manager("site-a", through(relays)).startWith(List.of()));
        Daemon a = m.get(0);
        Daemon b = m.get(1);
        Daemon c = m.get(2);
        Await.until("site-b follows site-a", CONVERGE, b::output, o -> o.contains("led by site-a"));
        int before = a.output().length();
        long t0 = System.nanoTime();
        relays.forEach(dev.warden.testing.TcpCut::cut);
        Daemon next = Await.until("another manager leads", CONVERGE, () -> leaderAmong(List.of(b, c)),
                d -> d != null);
        double took = (System.nanoTime() - t0) / 1e9;
        System.out.printf("leader cut off from ZooKeeper: another manager led %.2f s after the cut (session timeout "
                + "2 s)%n", took);
        assertThat(took).as("a new leader within the session timeout and a little").isLessThan(10.0);
        assertThat(a.get("/health/leader").statusCode()).isEqualTo(503);
        assertThat(a.output().substring(before)).contains("leads nothing");
        SandboxInstance old = sb.primary();
        sb.kill(old);
        Await.until("one new primary", CONVERGE, () -> Convergence.writable(sb), w -> w.size() == 1);
        Await.until("the failover recorded", CONVERGE, () -> {
            try {
                return failovers(next);
            } catch (Exception e) {
                return List.<JsonNode>of();
            }
        }, l -> l.size() == 1 && !"RUNNING".equals(l.get(0).get("outcome").asText()));
        assertThat(a.output().substring(before)).as("the cut-off manager runs no step").doesNotContain(": step 1 started");
        assertThat(a.output().substring(before)).doesNotContain("this manager leads it");
        relays.forEach(dev.warden.testing.TcpCut::restore);
        Await.until("site-a rejoins as a follower", CONVERGE, a::output, o -> o.substring(before)
                .contains("Cluster sandbox: led by site-"));
        assertThat(failovers(next)).hasSize(1);
    }

    /** iptables partitions of this test's own (skipped where there are none: no root, no cgroup match). */
    static dev.warden.bench.chaos.Netfilter partitions() throws java.io.IOException {
        java.util.Optional<String> why = dev.warden.bench.chaos.Netfilter.unavailable();
        org.junit.jupiter.api.Assumptions.assumeTrue(why.isEmpty(), () -> "no partitions here: " + why.orElse(""));
        return dev.warden.bench.chaos.Netfilter.open(Long.toHexString(System.nanoTime()) + "-"
                + ProcessHandle.current().pid());
    }

    /** Relays to every ZooKeeper server for one manager, cut and restored together. */
    List<dev.warden.testing.TcpCut> relays() throws Exception {
        List<dev.warden.testing.TcpCut> out = new ArrayList<>();
        for (InstanceSpec z : zk.getInstances()) {
            dev.warden.testing.TcpCut cut = new dev.warden.testing.TcpCut(
                    new java.net.InetSocketAddress("127.0.0.1", z.getPort()));
            cuts.add(cut);
            out.add(cut);
        }
        return out;
    }

    static String through(List<dev.warden.testing.TcpCut> relays) {
        return String.join(",", relays.stream().map(r -> "127.0.0.1:" + r.port()).toList());
    }

    /** The manager that answers /health/leader with 200 among {@code among}; null when none does. */
    static Daemon leaderAmong(List<Daemon> among) {
        for (Daemon d : among) {
            try {
                if (d.get("/health/leader").statusCode() == 200) {
                    return d;
                }
            } catch (Exception e) {
                // not answering
            }
        }
        return null;
    }

    static long epochOf(Daemon d) throws Exception {
        return JSON.readTree(d.get("/api/clusters/sandbox").body()).get("leadership").get("epoch").asLong();
    }

    /**
     * Leader flapping: a failover's leader is cut off from ZooKeeper just before its promotion, again and again (each
     * manager pauses there once, then is let go): each cut ends its session, the next leader takes the same
     * operation up under a higher epoch, and each deposed leader's next step is refused. One failover in the journal,
     * one promotion (by the last leader: the new primary carries its epoch and the step is DONE, not found done),
     * one writable primary.
     */
    @Test
    void leaderFlappingNeverProducesTwoOperations() throws Exception {
        onlyWithCoordinationScenarios();
        Sandbox sb = sandbox();
        SandboxInstance old = sb.primary();
        java.util.Map<Daemon, List<dev.warden.testing.TcpCut>> relays = new java.util.LinkedHashMap<>();
        java.util.Map<Daemon, Path> release = new java.util.HashMap<>();
        List<Daemon> m = new ArrayList<>();
        for (String name : NAMES) {
            List<dev.warden.testing.TcpCut> r = relays();
            Daemon d = manager(name, through(r));
            Path file = sb.spec().dir().resolve("release-" + name + "-" + System.nanoTime());
            d.startWith(List.of("-Dwarden.test.pause-at=before:promote", "-Dwarden.test.pause-release=" + file));
            relays.put(d, r);
            release.put(d, file);
            m.add(d);
            d.awaitHealthy();
            if (m.size() == 1) {
                Await.until("site-a leads", CONVERGE, d::output, o -> o.contains("this manager leads it (epoch"));
            }
        }
        Await.until("every manager sees the replicas", CONVERGE, () -> m.stream().allMatch(d -> d.output()
                .contains("2/2 replicas replicating")), ok -> ok);
        sb.kill(old);
        Daemon leader = m.get(0);
        String id = leader.awaitPaused("before:promote");
        List<Long> epochs = new ArrayList<>(List.of(epochOf(leader)));
        int flaps = 0;
        while (true) {
            Daemon deposed = leader;
            relays.get(deposed).forEach(dev.warden.testing.TcpCut::cut);
            leader = Await.until("another manager leads after the cut", CONVERGE,
                    () -> leaderAmong(m.stream().filter(d -> d != deposed).toList()), d -> d != null);
            epochs.add(epochOf(leader));
            int at = deposed.output().length();
            Files.writeString(release.get(deposed), "go");
            Await.until("the deposed leader's next step refused", CONVERGE, deposed::output, o -> o.substring(at)
                    .contains("stays unfinished in the journal for the next leader"));
            assertThat(deposed.output().substring(at)).as("the deposed leader promotes nothing")
                    .doesNotContain(id + ": step 3 DONE").doesNotContain(id + ": step 3 FAILED");
            relays.get(deposed).forEach(dev.warden.testing.TcpCut::restore);
            flaps++;
            Daemon now = leader;
            // The new leader takes the operation up: it pauses before the promotion (the first time it gets there),
            // or, having paused once already, finishes it.
            String seen = Await.until("the new leader to pause or finish " + id, CONVERGE, () -> {
                if (now.output().contains(dev.warden.actions.PausePoint.MARKER)
                        && !release.get(now).toFile().exists()) {
                    return "paused";
                }
                try {
                    var r = now.get("/api/operations/" + id);
                    JsonNode op = r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
                    return op != null && !"RUNNING".equals(op.get("outcome").asText()) ? "ended" : null;
                } catch (Exception e) {
                    return null;
                }
            }, x -> x != null);
            if (seen.equals("ended")) {
                break;
            }
        }
        assertThat(flaps).as("leadership moved at least twice mid-failover").isGreaterThanOrEqualTo(2);
        assertThat(epochs).as("every leadership a higher epoch").isSorted().doesNotHaveDuplicates();
        JsonNode op = awaitOutcome(leader, id);
        assertThat(op.get("outcome").asText()).as(op.toString()).isEqualTo("SUCCEEDED");
        for (Daemon d : m) {
            assertThat(failovers(d)).as("one failover in the shared journal").hasSize(1);
        }
        JsonNode promote = null;
        for (JsonNode step : op.get("steps")) {
            promote = "promote".equals(step.get("kind").asText()) ? step : promote;
        }
        assertThat(promote.get("status").asText()).as("promoted once, by the last leader: " + promote)
                .isEqualTo("DONE");
        List<SandboxInstance> writable = Convergence.writable(sb);
        assertThat(writable).hasSize(1);
        SandboxInstance candidate = writable.get(0);
        assertThat(termEpoch(sb, candidate)).as("the new primary carries the last leadership's epoch")
                .isEqualTo(epochs.get(epochs.size() - 1));
        Convergence.onePrimary(sb, candidate, sb.replicas().stream().filter(r -> !r.equals(candidate)).toList(),
                CONVERGE);
    }

    /**
     * A whole site isolated: site-a (the leading manager) and the primary reach each other and nothing else (not
     * ZooKeeper, the store, the other managers or the replicas). Site-b and site-c are the majority: they find the
     * primary gone, with the replicas, and fail over once; site-a, deposed and cut off, runs no step although it
     * still reaches the primary. Once healed, the old primary is fenced (read-only) by the leader and site-a
     * follows.
     */
    @Test
    void aWholeSiteIsolatedLeavesTheDecisionToTheOthers() throws Exception {
        onlyWithCoordinationScenarios();
        Sandbox sb = sandbox();
        SandboxInstance old = sb.primary();
        try (var nf = partitions()) {
            List<Daemon> m = ledBy(manager("site-a").startIn(nf.procs("site-a"), List.of()));
            Daemon a = m.get(0);
            List<Daemon> others = List.of(m.get(1), m.get(2));
            Await.until("every manager sees the replicas", CONVERGE, () -> m.stream().allMatch(d -> d.output()
                    .contains("2/2 replicas replicating")), ok -> ok);
            int before = a.output().length();
            String site = nf.group("site-a");
            nf.isolateWithin(old.port(), site);
            for (InstanceSpec z : zk.getInstances()) {
                nf.drop(site, z.getPort());
            }
            for (SandboxInstance r : sb.replicas()) {
                nf.drop(site, r.port());
            }
            nf.drop(site, storeServer().primary().port());
            for (Daemon d : others) {
                nf.drop(site, d.httpPort);
            }
            Daemon next = Await.until("site-b or site-c leads", CONVERGE, () -> leaderAmong(others), d -> d != null);
            Await.until("one failover, by the majority", Duration.ofSeconds(60), () -> {
                try {
                    List<JsonNode> f = failovers(next);
                    return f.size() == 1 && !"RUNNING".equals(f.get(0).get("outcome").asText()) ? f.get(0) : null;
                } catch (Exception e) {
                    return null;
                }
            }, f -> f != null);
            JsonNode op = failovers(next).get(0);
            assertThat(op.get("outcome").asText()).as(op.toString()).isEqualTo("SUCCEEDED");
            SandboxInstance candidate = byPort(sb, Integer.parseInt(op.get("candidate").asText().split(":")[1]));
            assertThat(op.toString()).as("decided by the two managers that can see").contains("2/3 managers confirm");
            String isolated = a.output().substring(before);
            assertThat(isolated).as("the isolated manager acts on nothing").doesNotContain(": step 1 started")
                    .doesNotContain("this manager leads it");
            assertThat(isolated).as("while it still reaches the primary").contains("primary " + old.key() + " writable");
            assertThat(a.get("/health/leader").statusCode()).isEqualTo(503);

            nf.heal();
            Await.until("the old primary fenced once the site is back", CONVERGE,
                    () -> RootSql.value(sb, old, "SELECT @@global.read_only"), v -> "1".equals(v));
            Await.until("one writable primary: the new one", CONVERGE, () -> Convergence.writable(sb),
                    w -> w.equals(List.of(candidate)));
            Await.until("site-a follows", CONVERGE, a::output, o -> o.substring(before)
                    .contains("Cluster sandbox: led by site-"));
            for (Daemon d : m) {
                assertThat(failovers(d)).as("one failover in the shared journal").hasSize(1);
            }
        }
    }
}
