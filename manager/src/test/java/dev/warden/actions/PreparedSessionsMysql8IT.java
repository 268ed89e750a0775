package dev.warden.actions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.config.ClusterConfig;
import dev.warden.config.ConfigLoader;
import dev.warden.model.InstanceKey;
import dev.warden.probe.ConnectionFactory;
import dev.warden.sandbox.SandboxFlavor;
import dev.warden.testing.Await;
import dev.warden.testing.SandboxExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Admin sessions opened while the primary looks gone are the ones the operation then uses (no new connection
 * after the verdict), on a real server; a server that does not answer leaves nothing prepared.
 */
class PreparedSessionsMysql8IT {

    @RegisterExtension
    static final SandboxExtension SANDBOX = SandboxExtension.of(SandboxFlavor.MYSQL8, 1);

    private final ExecutorService pool = Executors.newCachedThreadPool();
    private ConnectionFactory factory;
    private PreparedSessions prepared;

    @BeforeEach
    void setUp() {
        ClusterConfig c = ConfigLoader.load(SANDBOX.sandbox().configFile()).config().clusters().get(0);
        factory = new ConnectionFactory(c.credentials(), Duration.ofSeconds(2));
        prepared = new PreparedSessions(factory, pool);
    }

    @AfterEach
    void tearDown() {
        prepared.close();
        pool.shutdownNow();
    }

    @Test
    void anOperationTakesOverTheSessionPreparedForItsServer() throws Exception {
        InstanceKey replica = SANDBOX.sandbox().instances().get(1).key();
        prepared.prepare(List.of(replica));
        Await.until("the session to be ready", Duration.ofSeconds(10), prepared::ready, n -> n == 1);
        prepared.prepare(List.of(replica)); // one is ready: no second connection
        assertThat(prepared.ready()).isEqualTo(1);

        try (Sessions sessions = new Sessions(factory, prepared)) {
            AdminSession s = sessions.get(replica, Duration.ofSeconds(3));
            assertThat(prepared.ready()).as("taken over, not left for another").isZero();
            long threads = Long.parseLong(s.query(dev.warden.dialect.Sql.of("SELECT CONNECTION_ID() AS id")).get(0)
                    .get("id"));
            assertThat(threads).as("the prepared connection itself").isEqualTo(s.connectionId);
            // Bounded like any admin session: the step's lock wait, in whole seconds.
            assertThat(s.query(dev.warden.dialect.Sql.of("SELECT @@SESSION.lock_wait_timeout AS t")).get(0).get("t"))
                    .isEqualTo("3");
            assertThat(sessions.get(replica, Duration.ofSeconds(3))).isSameAs(s);
        }
    }

    @Test
    void aServerThatDoesNotAnswerLeavesNothingPrepared() throws Exception {
        int closed = dev.warden.sandbox.Ports.freeBlock(1);
        prepared.prepare(List.of(new InstanceKey("127.0.0.1", closed)));
        Await.until("the attempt to end", Duration.ofSeconds(10), prepared::opening, n -> n == 0);
        assertThat(prepared.ready()).isZero();
    }
}
