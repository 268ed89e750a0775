package dev.warden.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.testing.Cli;
import dev.warden.testing.SandboxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The fault campaign's CI subset: fixed seeds, every fault kind once across MySQL 8.0 and MariaDB 10.11 (seven on
 * one, six on the other), with the invariants checked after each round. The full campaign is
 * {@code warden bench chaos} (see the README).
 */
class ChaosCampaignIT {

    static final String MYSQL_FAULTS = "kill-primary,stop-primary,isolate-primary,manager-partition,slow-apply,"
            + "switchover-locked,manager-kill";
    static final String MARIADB_FAULTS = "kill-replica,stop-replica,replica-partition,credentials,stalled-hook,"
            + "store-outage";

    static void campaign(String flavor, String faults, int rounds) throws Exception {
        Assumptions.assumeTrue(SandboxExtension.selectedFlavors().contains(dev.warden.sandbox.SandboxFlavor.parse(flavor)),
                () -> flavor + " is not in -Dwarden.test.flavors");
        Path dir = Files.createTempDirectory(Path.of("target"), "chaos-" + flavor + "-");
        Path json = dir.resolve("chaos.json");
        Cli.Run run = Cli.run("bench", "chaos", "--flavor", flavor, "--rounds", Integer.toString(rounds), "--seed",
                "11", "--faults", faults, "--dir", dir.toString(), "--json", json.toString());
        System.out.println(run.out());
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("no violations");
        // Every round ran its own fault (none skipped for want of iptables: CI runs as root with iptables).
        for (String f : faults.split(",")) {
            assertThat(run.out()).as("a round of " + f).containsPattern("round \\d+ \\(seed \\d+\\): " + f);
        }
        assertThat(Files.readString(json)).contains("\"per_fault\"");
    }

    @Test
    void mysql8() throws Exception {
        campaign("mysql8", MYSQL_FAULTS, 7);
    }

    @Test
    void mariadb() throws Exception {
        campaign("mariadb", MARIADB_FAULTS, 6);
    }
}
