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
    void aServerThatDoesNotAnswerLeavesNothingPreparedAndIsNotTriedAgainAtOnce() throws Exception {
        int closed = dev.warden.sandbox.Ports.freeBlock(1);
        InstanceKey nobody = new InstanceKey("127.0.0.1", closed);
        prepared.prepare(List.of(nobody));
        Await.until("the attempt to end", Duration.ofSeconds(10), prepared::opening, n -> n == 0);
        assertThat(prepared.ready()).isZero();
        prepared.prepare(List.of(nobody));
        assertThat(prepared.opening()).as("no new login attempt within " + PreparedSessions.RETRY_AFTER).isZero();
    }

    /** Prepares a session to the server; its connection id once it is ready. */
    long preparedFor(InstanceKey key) {
        prepared.prepare(List.of(key));
        return Await.until("the session to be ready", Duration.ofSeconds(10), () -> prepared.readyConnection(key),
                x -> x != null);
    }

    @Test
    void aPreparedSessionTheServerEndedIsReplacedByAFreshOne() throws Exception {
        var sb = SANDBOX.sandbox();
        var replica = sb.instances().get(1);
        long id = preparedFor(replica.key());
        // As a restart of the server (or its wait_timeout) would leave it: open on this side, gone on the server.
        dev.warden.testing.RootSql.exec(sb, replica, "KILL " + id);
        try (Sessions sessions = new Sessions(factory, prepared)) {
            AdminSession s = sessions.get(replica.key(), Duration.ofSeconds(3));
            assertThat(s.connectionId).as("a fresh connection, not the dead one").isNotEqualTo(id);
            assertThat(s.query(dev.warden.dialect.Sql.of("SELECT 1 AS one")).get(0).get("one")).isEqualTo("1");
        }
        assertThat(prepared.ready()).isZero();
    }

    @Test
    void closingLeavesNothingOpenOnTheServer() throws Exception {
        var sb = SANDBOX.sandbox();
        var replica = sb.instances().get(1);
        long id = preparedFor(replica.key());
        prepared.close();
        Await.until("its connection gone from the server", Duration.ofSeconds(10), () -> dev.warden.testing.RootSql
                .value(sb, replica, "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = " + id),
                n -> "0".equals(n));
    }
}
