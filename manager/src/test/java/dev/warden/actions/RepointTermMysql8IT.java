package dev.warden.actions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.config.ClusterConfig;
import dev.warden.config.ConfigLoader;
import dev.warden.dialect.TermSql;
import dev.warden.plan.Repoint;
import dev.warden.probe.ConnectionFactory;
import dev.warden.sandbox.SandboxFlavor;
import dev.warden.sandbox.SandboxInstance;
import dev.warden.testing.SandboxExtension;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A re-point counts as done only once the replica shows the new primary's warden.term; one that never shows it
 * (here a replication filter drops the warden schema) fails within its timeout saying what the replica shows, not
 * with its session's deadline ("deadline passed before the statement was sent", what it said before).
 */
class RepointTermMysql8IT {

    @RegisterExtension
    static final SandboxExtension SANDBOX = SandboxExtension.of(SandboxFlavor.MYSQL8, 3);

    @Test
    void aReplicaThatNeverShowsTheTermFailsSayingWhatItShows() throws Exception {
        List<SandboxInstance> all = SANDBOX.sandbox().instances();
        SandboxInstance source = all.get(1);
        SandboxInstance replica = all.get(2);
        try (Connection c = SANDBOX.sandbox().root(source); Statement st = c.createStatement()) {
            st.execute("STOP SLAVE");
            st.execute("RESET SLAVE ALL");
            st.execute("SET GLOBAL super_read_only = OFF");
            st.execute("SET GLOBAL read_only = OFF");
            st.execute("CREATE DATABASE IF NOT EXISTS warden");
            st.execute(TermSql.CREATE.text());
            st.execute(TermSql.write("sandbox", 7, "site-test").text());
        }
        try (Connection c = SANDBOX.sandbox().root(replica); Statement st = c.createStatement()) {
            st.execute("STOP SLAVE SQL_THREAD");
            st.execute("CHANGE REPLICATION FILTER REPLICATE_WILD_IGNORE_TABLE = ('warden.%')");
            st.execute("START SLAVE SQL_THREAD");
        }
        ClusterConfig cluster = ConfigLoader.load(SANDBOX.sandbox().configFile()).config().clusters().get(0);
        ConnectionFactory factory = new ConnectionFactory(cluster.credentials(), Duration.ofSeconds(2));
        StepExecutor executor = new StepExecutor(factory, cluster.credentials(),
                ConfigLoader.load(SANDBOX.sandbox().configFile()).config().replication(), null, null, () -> null,
                Runnable::run, new StepExecutor.TermWriter("sandbox", "site-test"));

        StepOutcome o = executor.run(new Repoint(replica.key(), source.key(), null, Duration.ofSeconds(3)));

        assertThat(o.failed()).as(o.detail()).isTrue();
        assertThat(o.detail()).contains("replicates from " + source.key(), "does not show its warden.term",
                "epoch 7", "it shows none", "IO thread running", "SQL thread running")
                .doesNotContain("deadline passed");
    }
}
