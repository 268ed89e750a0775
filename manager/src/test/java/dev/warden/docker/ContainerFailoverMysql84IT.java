package dev.warden.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.auth.ApiToken;
import dev.warden.dialect.ChangeSourceSpec;
import dev.warden.dialect.Dialect;
import dev.warden.dialect.Dialects;
import dev.warden.model.InstanceKey;
import dev.warden.model.ServerVersion;
import dev.warden.testing.Await;
import dev.warden.testing.WardenProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.mysql.MySQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The failover scenario on the official MySQL 8.4 image, with Warden itself in a container built from
 * {@code docker/Dockerfile}: a primary and two replicas on one Docker network, the primary killed, Warden's API
 * asked for the failover. Runs only where a Docker engine is available; skipped (not failed) elsewhere, as on the
 * development and CI machines, so it has never run here.
 */
class ContainerFailoverMysql84IT {

    private static final String ROOT_PASSWORD = "root-test-pw";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeEach
    void requireDocker() {
        boolean docker;
        try {
            docker = DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            docker = false;
        }
        Assumptions.assumeTrue(docker, "no Docker engine here: the MySQL 8.4 container scenario is skipped");
    }

    @Test
    void wardenInAContainerFailsOverAMysql84Primary() throws Exception {
        List<MySQLContainer> servers = new ArrayList<>();
        try (Network network = Network.newNetwork()) {
            for (int id = 1; id <= 3; id++) {
                MySQLContainer c = new MySQLContainer(DockerImageName.parse("mysql:8.4")).withUsername("root")
                        .withPassword(ROOT_PASSWORD).withNetwork(network).withNetworkAliases("mysql-" + id)
                        .withCommand("--server-id=" + id, "--gtid-mode=ON", "--enforce-gtid-consistency=ON",
                                "--log-bin=binlog", "--report-host=mysql-" + id, "--report-port=3306");
                servers.add(c);
                c.start();
            }
            setUp(servers);
            String token = ApiToken.generate();
            try (GenericContainer<?> warden = warden(network, token)) {
                warden.start();
                String api = "http://" + warden.getHost() + ":" + warden.getMappedPort(8080);
                Await.until("Warden to see 2 healthy replicas", Duration.ofSeconds(60),
                        () -> get(api + "/api/clusters/demo", token), b -> b.contains("\"primary\":\"mysql-1:3306\"")
                                && b.contains("2/2 replicas replicating"));
                servers.get(0).getDockerClient().killContainerCmd(servers.get(0).getContainerId()).exec();
                String ops = Await.until("a finished failover", Duration.ofSeconds(60),
                        () -> get(api + "/api/operations", token), b -> b.contains("\"outcome\":\"SUCCEEDED\""));
                assertThat(ops).contains("FAILOVER");
                int writable = 0;
                for (MySQLContainer s : servers.subList(1, 3)) {
                    if ("0".equals(value(s, "SELECT @@read_only"))) {
                        writable++;
                    }
                }
                assertThat(writable).as("exactly one survivor became writable").isEqualTo(1);
            }
        } finally {
            servers.forEach(GenericContainer::stop);
        }
    }

    /** Accounts, heartbeat table and replication, with Warden's own grant file and MySQL 8.4+ dialect. */
    private static void setUp(List<MySQLContainer> servers) throws Exception {
        String grants = Files.readString(repository().resolve("sql/grants/mysql.sql"))
                .replace("${WARDEN_USER}", "warden").replace("${WARDEN_HOST}", "%")
                .replace("${WARDEN_PASSWORD}", "warden-test-pw").replace("${REPL_USER}", "repl")
                .replace("${REPL_HOST}", "%").replace("${REPL_PASSWORD}", "repl-test-pw");
        String heartbeat = Files.readString(repository().resolve("sql/heartbeat.sql"));
        try (Connection c = servers.get(0).createConnection(""); Statement st = c.createStatement()) {
            for (String sql : (grants + "\n" + heartbeat).split(";\\s*\\n")) {
                String s = sql.lines().filter(l -> !l.trim().startsWith("--")).reduce("", (a, b) -> a + "\n" + b)
                        .trim();
                if (!s.isEmpty()) {
                    st.execute(s);
                }
            }
        }
        for (MySQLContainer replica : servers.subList(1, 3)) {
            try (Connection c = replica.createConnection(""); Statement st = c.createStatement()) {
                ServerVersion v = ServerVersion.parse(value(replica, "SELECT @@version"),
                        value(replica, "SELECT @@version_comment"));
                Dialect d = Dialects.forVersion(v);
                st.execute(d.changeSource(new ChangeSourceSpec(new InstanceKey("mysql-1", 3306), "repl",
                        "repl-test-pw", Duration.ofMillis(500), 1, 86400)).text());
                st.execute(d.startReplica().text());
                st.execute("SET GLOBAL super_read_only = ON");
            }
        }
    }

    private static GenericContainer<?> warden(Network network, String token) {
        Path repo = repository();
        String yaml = """
                credentials:
                  user: warden
                  password: warden-test-pw
                  replication_user: repl
                  replication_password: repl-test-pw
                  tls: preferred
                replication:
                  heartbeat_period: 500ms
                http:
                  listen: 0.0.0.0:8080
                tokens:
                  test:
                    role: admin
                    token_hash: "%s"
                store:
                  path: /var/lib/warden/warden.db
                clusters:
                  demo:
                    servers:
                      - {host: mysql-1, port: 3306}
                      - {host: mysql-2, port: 3306}
                      - {host: mysql-3, port: 3306}
                """.formatted(ApiToken.hash(token));
        ImageFromDockerfile image = new ImageFromDockerfile("warden-test", true)
                .withFileFromPath("docker/Dockerfile", repo.resolve("docker/Dockerfile"))
                .withFileFromPath("manager/target/warden.jar", WardenProcess.jar())
                .withDockerfilePath("docker/Dockerfile");
        return new GenericContainer<>(image).withNetwork(network).withExposedPorts(8080)
                .withCopyToContainer(Transferable.of(yaml.getBytes(StandardCharsets.UTF_8)),
                        "/etc/warden/warden.yaml");
    }

    private static String value(MySQLContainer s, String query) {
        try (Connection c = s.createConnection(""); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(query)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (Exception e) {
            throw new IllegalStateException(query + " on " + s.getNetworkAliases() + ": " + e.getMessage(), e);
        }
    }

    private static String get(String url, String token) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            return "";
        }
    }

    private static Path repository() {
        Path p = WardenProcess.jar().toAbsolutePath();
        return p.getParent().getParent().getParent(); // manager/target/warden.jar
    }
}
