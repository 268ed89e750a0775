package dev.warden.failover;

import dev.warden.dialect.Dialect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.actions.Operation;
import dev.warden.decision.FindingCode;
import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxInstance;
import dev.warden.testing.Await;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Automatic failover on real servers, with an application writing numbered rows. A fresh sandbox per test.
 * Timings are printed (FAILOVER-TIMING lines, also in target/failover-timings.txt), never asserted.
 */
abstract class FailoverScenarios {

    abstract Sandbox sandbox();

    static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(30);

    @Test
    void killedPrimaryIsReplacedByTheMostAdvancedReplica() throws Exception {
        Sandbox sb = sandbox();
        try (FailoverHarness h = new FailoverHarness(sb, null)) {
            h.startWriter(sb.primary());
            Instant fault = Instant.now();
            sb.kill(sb.primary());
            Operation op = h.awaitFailover(1, FAILOVER_TIMEOUT);
            assertThat(op.outcome()).as(op.summary()).isEqualTo(Operation.Outcome.SUCCEEDED);
            assertThat(op.evidence()).extracting(v -> v.verdict().name()).contains("CONFIRMS_DEAD");
            SandboxInstance newPrimary = sb.instances().stream().filter(i -> i.key().equals(op.plan().candidate()))
                    .findFirst().orElseThrow();
            List<SandboxInstance> survivors = sb.replicas().stream().filter(r -> !r.equals(newPrimary)).toList();
            h.assertOnePrimary(newPrimary, survivors);
            long lost = h.lostAckedRows(newPrimary);
            h.assertNoErrant(newPrimary, survivors);
            h.report("kill -9", fault, op, newPrimary, survivors, lost);
            assertThat(h.cluster.controls().fenced()).containsExactly(sb.primary().key());
        }
    }

    @Test
    void hungPrimaryIsReplacedAndFencedAsSoonAsItAnswersAgain() throws Exception {
        Sandbox sb = sandbox();
        try (FailoverHarness h = new FailoverHarness(sb, null)) {
            h.startWriter(sb.primary());
            Instant fault = Instant.now();
            sb.freeze(sb.primary());
            Operation op;
            try {
                op = h.awaitFailover(1, FAILOVER_TIMEOUT);
                assertThat(op.outcome()).as(op.summary()).isEqualTo(Operation.Outcome.SUCCEEDED);
                assertThat(op.steps().get(0).status().name()).as(op.steps().get(0).detail()).isEqualTo("PENDING");
            } finally {
                h.writer.close();
                Instant thawed = Instant.now();
                sb.thaw(sb.primary());
                Instant readOnly = Await.until("the old primary to be fenced after it answers again",
                        Duration.ofSeconds(20), () -> h.observer.readOnlySince(sb.primary(), thawed),
                        t -> t != null);
                System.out.println("FENCE-WINDOW " + sb.flavor() + ": old primary read-only "
                        + FailoverHarness.secs(thawed, readOnly) + " s after SIGCONT");
                java.nio.file.Files.writeString(java.nio.file.Path.of("target", "failover-timings.txt"),
                        "FENCE-WINDOW " + sb.flavor() + " SIGSTOP: old primary read-only "
                                + FailoverHarness.secs(thawed, readOnly) + " s after SIGCONT\n",
                        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
                Instant checkedFrom = readOnly.plusMillis(50);
                Thread.sleep(1500); // the test watches it for 1.5 s: it must stay read-only
                assertThat(h.observer.everWritable(sb.primary(), checkedFrom, Instant.now()))
                        .as("the old primary stays read-only").isFalse();
            }
            SandboxInstance newPrimary = sb.instances().stream().filter(i -> i.key().equals(op.plan().candidate()))
                    .findFirst().orElseThrow();
            List<SandboxInstance> survivors = sb.replicas().stream().filter(r -> !r.equals(newPrimary)).toList();
            h.assertOnePrimary(newPrimary, survivors);
            long lost = h.lostAckedRows(newPrimary);
            h.assertNoErrant(newPrimary, survivors);
            h.report("SIGSTOP", fault, op, newPrimary, survivors, lost);
            assertThat(h.cluster.latest().orElseThrow().findings()).extracting(f -> f.code())
                    .doesNotContain(FindingCode.DeadPrimary, FindingCode.TwoWritablePrimaries);
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    static SandboxInstance instanceAt(Sandbox sb, dev.warden.model.InstanceKey key) {
        return sb.instances().stream().filter(i -> i.key().equals(key)).findFirst().orElseThrow();
    }

    /** Waits until the daemon has cycled for {@code enough} after {@code from}, then returns the latest cycle. */
    static dev.warden.engine.ClusterMonitor.Cycle cyclesFor(FailoverHarness h, Instant from, Duration enough) {
        return Await.until("cycles covering " + enough.toMillis() + " ms", enough.plusSeconds(30),
                () -> h.cluster.latest().orElseThrow(), c -> c.snapshot().takenAt().isAfter(from.plus(enough)));
    }

    /**
     * The first cycle, once a failover would have started if it were allowed, that reports the dead primary
     * (one cycle may miss a vote: a replica's probe timing out on a loaded machine makes it abstain).
     */
    static dev.warden.engine.ClusterMonitor.Cycle deadPrimaryHeldBack(FailoverHarness h, Instant killed) {
        Instant from = killed.plus(decisionTime(h));
        return Await.until("a cycle after " + from + " reporting DeadPrimary", decisionTime(h).plusSeconds(30),
                () -> h.cluster.latest().orElseThrow(), c -> c.snapshot().takenAt().isAfter(from)
                        && !c.findings().isEmpty() && c.findings().get(0).code() == FindingCode.DeadPrimary);
    }

    /** Long enough for a failover to have started if the daemon were going to start one. */
    static Duration decisionTime(FailoverHarness h) {
        return h.config.failover().confirmationWindow().plus(h.config.failover().replicaSilence())
                .plusSeconds(2);
    }

    static String replicatingFrom(SandboxInstance source) {
        return "127.0.0.1:" + source.port() + " Yes Yes";
    }

    // ---- 3. the manager alone is cut off ------------------------------------------------------------------

    interface Cut {
        void apply(dev.warden.testing.FaultProxy p) throws Exception;
    }

    @Test
    void managerCutOffByRefusedConnectionsDoesNotFailOver() throws Exception {
        cutOffManager(dev.warden.testing.FaultProxy::refuse);
    }

    @Test
    void managerCutOffByDroppedPacketsDoesNotFailOver() throws Exception {
        cutOffManager(dev.warden.testing.FaultProxy::blackhole);
    }

    private void cutOffManager(Cut cut) throws Exception {
        Sandbox sb = sandbox();
        java.util.Map<String, dev.warden.testing.FaultProxy> proxies = new java.util.LinkedHashMap<>();
        int base = dev.warden.sandbox.Ports.freeBlock(sb.instances().size());
        String yaml = java.nio.file.Files.readString(sb.configFile());
        int n = 0;
        for (SandboxInstance i : sb.instances()) {
            dev.warden.testing.FaultProxy p = new dev.warden.testing.FaultProxy(base + n++, i.port());
            proxies.put(i.name(), p);
            yaml = yaml.replace("port: " + i.port() + "\n", "port: " + p.port() + "\n");
        }
        dev.warden.model.InstanceKey managerSeesPrimary = new dev.warden.model.InstanceKey("127.0.0.1",
                proxies.get(sb.primary().name()).port());
        try (FailoverHarness h = new FailoverHarness(sb, null, yaml)) {
            h.startWriter(sb.primary()); // the application reaches the primary directly: only the manager is cut off
            Instant cutAt = Instant.now();
            cut.apply(proxies.get(sb.primary().name()));
            var c = cyclesFor(h, cutAt, decisionTime(h));
            assertThat(h.failovers()).as("no failover when only the manager lost the primary").isEmpty();
            assertThat(c.findings()).extracting(f -> f.code()).contains(FindingCode.UnreachablePrimary)
                    .doesNotContain(FindingCode.DeadPrimary, FindingCode.DeadPrimaryAndSomeReplicas,
                            FindingCode.PrimaryNotWriting);
            assertThat(c.findings().get(0).detail()).contains("the manager alone is cut off");
            assertThat(c.findings().get(0).votes()).as(c.findings().get(0).votes().toString())
                    .extracting(v -> v.verdict().name()).containsExactly("CONFIRMS_DEAD", "SEES_ALIVE", "SEES_ALIVE");
            assertThat(c.snapshot().instances().keySet()).as("discovery did not route around the cut")
                    .doesNotContain(sb.primary().key());
            assertThat(dev.warden.testing.RootSql.value(sb, sb.primary(), "SELECT @@read_only")).isEqualTo("0");
            for (SandboxInstance r : sb.replicas()) {
                assertThat(dev.warden.testing.RootSql.replication(sb, r)).isEqualTo(replicatingFrom(sb.primary()));
            }
            proxies.get(sb.primary().name()).heal();
            Await.until("the primary answering the manager again", Duration.ofSeconds(30),
                    () -> h.cluster.latest().orElseThrow(), x -> x.findings().isEmpty()
                            && x.sentence().contains("primary " + managerSeesPrimary + " writable, 2/2 replicas"));
            assertThat(h.failovers()).isEmpty();
        } finally {
            for (dev.warden.testing.FaultProxy p : proxies.values()) {
                p.close();
            }
        }
    }

    // ---- 4. a lagging replica -----------------------------------------------------------------------------

    @Test
    void aReplicaMissingRecentTransactionsIsNotPromoted() throws Exception {
        Sandbox sb = sandbox();
        SandboxInstance behind = sb.replicas().get(0);
        SandboxInstance ahead = sb.replicas().get(1);
        try (FailoverHarness h = new FailoverHarness(sb, null)) {
            h.startWriter(sb.primary());
            dev.warden.testing.RootSql.replicaCommand(sb, behind, Dialect::stopReplicaIoThread);
            int before = h.writer.acknowledged().size();
            Await.until("more rows written while " + behind.name() + " receives nothing", Duration.ofSeconds(10),
                    () -> h.writer.acknowledged().size(), x -> x >= before + 40);
            sb.kill(sb.primary());
            Operation op = h.awaitFailover(1, FAILOVER_TIMEOUT);
            assertThat(op.outcome()).as(op.summary()).isEqualTo(Operation.Outcome.SUCCEEDED);
            assertThat(op.plan().candidate()).as("the replica with more data, though both are 'prefer'")
                    .isEqualTo(ahead.key());
            h.assertOnePrimary(ahead, List.of(behind));
            h.lostAckedRows(ahead);
            h.assertNoErrant(ahead, List.of(behind));
            Await.until(behind.name() + " to get everything from the new primary", Duration.ofSeconds(20),
                    () -> dev.warden.testing.RootSql.value(sb, behind, "SELECT COUNT(*) FROM app.rows"),
                    cnt -> cnt.equals(dev.warden.testing.RootSql.value(sb, ahead, "SELECT COUNT(*) FROM app.rows")));
        }
    }

    @Test
    void theReplicaHoldingTheMostDataCatchesUpBeforeItIsPromoted() throws Exception {
        Sandbox sb = sandbox();
        SandboxInstance mostData = sb.replicas().get(1);
        SandboxInstance lessData = sb.replicas().get(0);
        try (FailoverHarness h = new FailoverHarness(sb, null)) {
            h.startWriter(sb.primary());
            dev.warden.testing.RootSql.replicaCommand(sb, lessData, Dialect::stopReplicaIoThread);
            dev.warden.testing.RootSql.replicaCommand(sb, mostData, Dialect::stopReplicaSqlThread);
            int before = h.writer.acknowledged().size();
            Await.until("rows received but not applied", Duration.ofSeconds(10),
                    () -> h.writer.acknowledged().size(), x -> x >= before + 40);
            h.writer.close();
            String unapplied = h.mysql()
                    ? "SELECT GTID_SUBTRACT(RECEIVED_TRANSACTION_SET, @@gtid_executed) FROM "
                    + "performance_schema.replication_connection_status" : null;
            if (unapplied != null) {
                assertThat(dev.warden.testing.RootSql.value(sb, mostData, unapplied)).isNotEmpty();
            }
            sb.kill(sb.primary());
            Operation op = h.awaitFailover(1, FAILOVER_TIMEOUT);
            assertThat(op.outcome()).as(op.summary()).isEqualTo(Operation.Outcome.SUCCEEDED);
            assertThat(op.plan().candidate()).isEqualTo(mostData.key());
            assertThat(op.steps().get(1).detail()).contains("started its SQL thread");
            h.assertOnePrimary(mostData, List.of(lessData));
            assertThat(h.lostAckedRows(mostData)).as("everything the primary acknowledged had been received").isZero();
            h.assertNoErrant(mostData, List.of(lessData));
        }
    }

    // ---- 5. an errant replica ---------------------------------------------------------------------------

    @Test
    void aReplicaWithAnErrantTransactionIsNeverPromoted() throws Exception {
        Sandbox sb = sandbox();
        SandboxInstance errant = sb.replicas().get(0);
        SandboxInstance clean = sb.replicas().get(1);
        // No writes at the kill: a write the errant replica received and the clean one did not would rightly leave
        // the errant replica behind (it would have data the new primary lacks), which is another scenario.
        try (FailoverHarness h = new FailoverHarness(sb, "probe:\n  write_heartbeat: false\n")) {
            dev.warden.testing.RootSql.exec(sb, sb.primary(), "CREATE DATABASE IF NOT EXISTS local_only",
                    "CREATE TABLE IF NOT EXISTS local_only.t (id INT PRIMARY KEY)");
            Await.until("the table on the replica", Duration.ofSeconds(10), () -> dev.warden.testing.RootSql.value(sb,
                    errant, "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'local_only'"),
                    "1"::equals);
            if (h.mysql()) {
                dev.warden.testing.RootSql.exec(sb, errant, "SET GLOBAL super_read_only = OFF",
                        "INSERT INTO local_only.t VALUES (1)", "SET GLOBAL super_read_only = ON");
            } else {
                // Another domain, so strict mode does not also break its SQL thread: errant is the only reason.
                dev.warden.testing.RootSql.exec(sb, errant, "SET SESSION gtid_domain_id = 9",
                        "INSERT INTO local_only.t VALUES (1)");
            }
            var seen = Await.until("the errant transaction reported", Duration.ofSeconds(20),
                    () -> h.cluster.latest().orElseThrow(), c -> c.findings().stream()
                            .anyMatch(f -> f.code() == FindingCode.ErrantGtid && f.server().equals(errant.key())));
            assertThat(seen.sentence()).contains("ErrantGtid");
            sb.kill(sb.primary());
            Operation op = h.awaitFailover(1, FAILOVER_TIMEOUT);
            assertThat(op.outcome()).as(op.summary()).isEqualTo(Operation.Outcome.SUCCEEDED);
            assertThat(op.plan().candidate()).isEqualTo(clean.key());
            assertThat(op.plan().excluded()).anySatisfy(e -> {
                assertThat(e.server()).isEqualTo(errant.key());
                assertThat(e.reason()).contains("errant transaction");
            });
            h.assertOnePrimary(clean, List.of(errant));
            Await.until("the errant replica still reported after the failover", Duration.ofSeconds(20),
                    () -> h.cluster.latest().orElseThrow(), c -> c.findings().stream()
                            .anyMatch(f -> f.code() == FindingCode.ErrantGtid && f.server().equals(errant.key())));
        }
    }

    // ---- 6. anti-flap -------------------------------------------------------------------------------------

    @Test
    void aSecondFailureWithinTheAntiFlapPeriodWaitsForAnAcknowledgement() throws Exception {
        Sandbox sb = sandbox();
        try (FailoverHarness h = new FailoverHarness(sb, null)) {
            sb.kill(sb.primary());
            Operation first = h.awaitFailover(1, FAILOVER_TIMEOUT);
            assertThat(first.outcome()).as(first.summary()).isEqualTo(Operation.Outcome.SUCCEEDED);
            SandboxInstance second = instanceAt(sb, first.plan().candidate());
            SandboxInstance last = sb.replicas().stream().filter(r -> !r.equals(second)).findFirst().orElseThrow();
            h.assertOnePrimary(second, List.of(last));
            Instant killed = Instant.now();
            sb.kill(second);
            var c = deadPrimaryHeldBack(h, killed);
            assertThat(h.failovers()).hasSize(1);
            assertThat(c.decision().sentence()).contains("anti-flap").contains("warden ack");
            var ack = dev.warden.testing.Cli.run("ack", "-c", h.configFile.toString(), "--cluster", "sandbox");
            assertThat(ack.exitCode()).as(ack.toString()).isZero();
            Operation again = h.awaitFailover(2, FAILOVER_TIMEOUT);
            assertThat(again.outcome()).as(again.summary()).isEqualTo(Operation.Outcome.SUCCEEDED);
            assertThat(again.plan().candidate()).isEqualTo(last.key());
            h.assertOnePrimary(last, List.of());
        }
    }

    // ---- 7. the old primary comes back -------------------------------------------------------------------

    @Test
    void anOldPrimaryWithNothingExtraRejoinsAsAReplicaAndStaysReadOnly() throws Exception {
        Sandbox sb = sandbox();
        // No heartbeat writes: one committed just before the kill could be the old primary's only extra transaction.
        try (FailoverHarness h = new FailoverHarness(sb, "probe:\n  write_heartbeat: false\n")) {
            h.startWriter(sb.primary());
            h.stopWriterAndAwaitReplicasCaughtUp();
            sb.kill(sb.primary());
            Operation op = h.awaitFailover(1, FAILOVER_TIMEOUT);
            SandboxInstance newPrimary = instanceAt(sb, op.plan().candidate());
            SandboxInstance old = sb.restart(sb.primary());
            assertThat(dev.warden.testing.RootSql.value(sb, old, "SELECT @@read_only")).as("restarts read-only")
                    .isEqualTo("1");
            Await.until("the old primary replicating from the new one", Duration.ofSeconds(30),
                    () -> dev.warden.testing.RootSql.replication(sb, old), replicatingFrom(newPrimary)::equals);
            assertThat(dev.warden.testing.RootSql.value(sb, old, "SELECT @@read_only")).isEqualTo("1");
            assertThat(h.cluster.operations()).anySatisfy(o -> assertThat(o.plan().kind().name()).isEqualTo("REJOIN"));
            Await.until("the old primary no longer fenced", Duration.ofSeconds(10), () -> h.cluster.controls().fenced(),
                    java.util.Set::isEmpty);
            h.assertNoErrant(newPrimary, sb.instances().stream().filter(i -> !i.equals(newPrimary)).toList());
        }
    }

    @Test
    void anOldPrimaryWithTransactionsTheNewOneLacksIsQuarantinedWithThemListed() throws Exception {
        Sandbox sb = sandbox();
        try (FailoverHarness h = new FailoverHarness(sb, null)) {
            sb.kill(sb.primary());
            Operation op = h.awaitFailover(1, FAILOVER_TIMEOUT);
            SandboxInstance newPrimary = instanceAt(sb, op.plan().candidate());
            h.cluster.maintenance(sb.primary().key(), true, "test"); // keep Warden off it while we write
            SandboxInstance old = sb.restart(sb.primary());
            String uuidOrId = dev.warden.testing.RootSql.value(sb, old, h.mysql() ? "SELECT @@server_uuid"
                    : "SELECT @@server_id");
            // A write that reaches only the old primary: what a split brain leaves behind.
            if (h.mysql()) {
                dev.warden.testing.RootSql.exec(sb, old, "SET GLOBAL super_read_only = OFF",
                        "CREATE DATABASE IF NOT EXISTS split_brain", "SET GLOBAL super_read_only = ON");
            } else {
                dev.warden.testing.RootSql.exec(sb, old, "CREATE DATABASE IF NOT EXISTS split_brain");
            }
            h.cluster.maintenance(sb.primary().key(), false, "test");
            var c = Await.until("the old primary quarantined", Duration.ofSeconds(30), () -> h.cluster.latest()
                    .orElseThrow(), x -> x.findings().stream().anyMatch(f -> f.code() == FindingCode.QuarantinedPrimary));
            var q = c.findings().stream().filter(f -> f.code() == FindingCode.QuarantinedPrimary).findFirst().orElseThrow();
            assertThat(q.server()).isEqualTo(old.key());
            assertThat(q.detail()).contains(h.mysql() ? uuidOrId : "0-" + uuidOrId + "-").contains("stays read-only");
            assertThat(dev.warden.testing.RootSql.replication(sb, old)).isNull();
            assertThat(dev.warden.testing.RootSql.value(sb, old, "SELECT @@read_only")).isEqualTo("1");
            assertThat(h.cluster.operations()).noneSatisfy(o -> assertThat(o.plan().kind().name()).isEqualTo("REJOIN"));
            h.assertOnePrimary(newPrimary, sb.replicas().stream().filter(r -> !r.equals(newPrimary)).toList());
        }
    }

    // ---- 8. maintenance ---------------------------------------------------------------------------------

    @Test
    void maintenanceSuspendsFailoverUntilItIsTurnedOff() throws Exception {
        Sandbox sb = sandbox();
        try (FailoverHarness h = new FailoverHarness(sb, null)) {
            var on = dev.warden.testing.Cli.run("maintenance", "on", "-c", h.configFile.toString(), "--cluster",
                    "sandbox");
            assertThat(on.exitCode()).as(on.toString()).isZero();
            Instant killed = Instant.now();
            sb.kill(sb.primary());
            var c = deadPrimaryHeldBack(h, killed);
            assertThat(h.failovers()).isEmpty();
            assertThat(c.decision().sentence()).contains("in maintenance");
            var off = dev.warden.testing.Cli.run("maintenance", "off", "-c", h.configFile.toString(), "--cluster",
                    "sandbox");
            assertThat(off.exitCode()).as(off.toString()).isZero();
            Operation op = h.awaitFailover(1, FAILOVER_TIMEOUT);
            assertThat(op.outcome()).as(op.summary()).isEqualTo(Operation.Outcome.SUCCEEDED);
            SandboxInstance newPrimary = instanceAt(sb, op.plan().candidate());
            h.assertOnePrimary(newPrimary, sb.replicas().stream().filter(r -> !r.equals(newPrimary)).toList());
        }
    }

    // ---- 9. a person asks ---------------------------------------------------------------------------------

    @Test
    void withAutomaticFailoverOffADeadPrimaryIsReplacedWhenAnOperatorAsks() throws Exception {
        Sandbox sb = sandbox();
        try (FailoverHarness h = new FailoverHarness(sb, "failover:\n  automatic: false\n")) {
            var early = dev.warden.testing.Cli.run("failover", "-c", h.configFile.toString(), "--cluster", "sandbox");
            assertThat(early.exitCode()).as(early.toString()).isEqualTo(1);
            assertThat(early.out()).contains("Failover refused (nothing was changed)").contains("is not confirmed dead");
            Instant killed = Instant.now();
            sb.kill(sb.primary());
            var c = cyclesFor(h, killed, decisionTime(h));
            assertThat(h.failovers()).isEmpty();
            assertThat(c.decision().sentence()).contains("automatic failover is off");
            var run = dev.warden.testing.Cli.run("failover", "-c", h.configFile.toString(), "--cluster", "sandbox");
            assertThat(run.exitCode()).as(run.toString()).isZero();
            Operation op = h.awaitFailover(1, FAILOVER_TIMEOUT);
            assertThat(op.outcome()).as(op.summary()).isEqualTo(Operation.Outcome.SUCCEEDED);
            assertThat(op.startedBy()).startsWith("sandbox-cli");
            assertThat(op.plan().trigger()).startsWith("failover requested by sandbox-cli");
            SandboxInstance newPrimary = instanceAt(sb, op.plan().candidate());
            h.assertOnePrimary(newPrimary, sb.replicas().stream().filter(r -> !r.equals(newPrimary)).toList());
            assertThat(h.store.audit().recent(5)).extracting(a -> a.who() + " " + a.action() + " " + a.outcome())
                    .contains("sandbox-cli failover succeeded", "sandbox-cli failover refused");
        }
    }
}
