package dev.warden.recovery;

import dev.warden.testing.Daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.sandbox.Ports;
import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxInstance;
import dev.warden.testing.Convergence;
import dev.warden.testing.RootSql;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Without a usable store the manager does nothing at all: it exits with a message that says what is wrong and
 * what to do, before it probes or changes any server, even when the primary is dead.
 */
abstract class StoreFailureScenarios {

    abstract Sandbox sandbox();

    @Test
    void aCorruptStoreStopsTheManagerBeforeItTouchesAnything() throws Exception {
        Sandbox sb = sandbox();
        try (Daemon d = new Daemon(sb)) {
            Files.writeString(d.store, "not a database\n".repeat(500), StandardCharsets.UTF_8);
            assertRefusedWithDeadPrimary(d, "is not a readable Warden store", "move it aside");
        }
    }

    @Test
    void anUnreachableMysqlStoreStopsTheManagerBeforeItTouchesAnything() throws Exception {
        Sandbox sb = sandbox();
        try (Daemon d = new Daemon(sb)) {
            int nobody = Ports.freeBlock(1);
            String yaml = Files.readString(d.config).replaceAll("store:\\n  path: [^\\n]*\\n",
                    "store:\n  mysql:\n    url: jdbc:mysql://127.0.0.1:" + nobody + "/warden\n    user: warden\n"
                            + "    password: x\n");
            Files.writeString(d.config, yaml);
            assertRefusedWithDeadPrimary(d, "cannot reach the store jdbc:mysql://127.0.0.1:" + nobody + "/warden",
                    "does not watch or change any cluster without its store");
        }
    }

    @Test
    void aSecondManagerOnTheSameStoreIsRefused() throws Exception {
        Sandbox sb = sandbox();
        try (Daemon first = new Daemon(sb)) {
            first.start(null).awaitHealthy();
            try (Daemon second = new Daemon(first)) {
                second.start(null);
                assertThat(second.process().waitFor(Duration.ofSeconds(30))).isEqualTo(1);
                assertThat(second.output()).contains("is in use by another Warden process (pid "
                        + first.process().pid() + ")");
            }
            assertThat(first.process().isAlive()).isTrue();
        }
    }

    /** Kills the primary, starts the manager, and checks it exits with the message having changed nothing. */
    private void assertRefusedWithDeadPrimary(Daemon d, String... message) throws Exception {
        Sandbox sb = sandbox();
        SandboxInstance old = sb.primary();
        sb.kill(old);
        d.start(null);
        int code = d.process().waitFor(Duration.ofSeconds(60));
        String out = d.output();
        assertThat(code).as(out).isEqualTo(1);
        for (String m : message) {
            assertThat(out).contains(m);
        }
        assertThat(out).doesNotContain("cluster sandbox:");
        // No promotion, no re-pointing: both replicas are read-only and still point at the dead primary.
        assertThat(Convergence.writable(sb)).isEmpty();
        for (SandboxInstance r : sb.replicas()) {
            assertThat(RootSql.replication(sb, r)).startsWith("127.0.0.1:" + old.port() + " ");
        }
    }
}
