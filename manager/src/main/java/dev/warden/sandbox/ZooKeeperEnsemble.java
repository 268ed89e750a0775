package dev.warden.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.StringJoiner;
import org.apache.zookeeper.server.embedded.ExitHandler;
import org.apache.zookeeper.server.embedded.ZooKeeperServerEmbedded;

/**
 * A real ZooKeeper ensemble of three servers (ZooKeeper 3.9's embedded server, a full quorum peer each) in this
 * JVM on 127.0.0.1, for {@code warden demo --managers 3} and {@code warden bench failover --managers 3}: each
 * server has its own data directory under {@code dir}, its own client, quorum and election ports (a block of nine
 * from {@code basePort}, checked free), and a 250 ms tick (sessions of 0.5 s to 5 s). A server that fails logs
 * it; it never ends the JVM.
 */
public final class ZooKeeperEnsemble implements AutoCloseable {

    public static final int SERVERS = 3;
    static final int TICK_MS = 250;

    private final List<ZooKeeperServerEmbedded> servers = new ArrayList<>();
    private final List<Integer> clientPorts = new ArrayList<>();
    private final Path dir;

    private ZooKeeperEnsemble(Path dir) {
        this.dir = dir;
    }

    /** The ports the ensemble needs from {@code basePort}: a client, a quorum and an election port per server. */
    public static int portsNeeded() {
        return 3 * SERVERS;
    }

    /** Starts the three servers and waits (up to 30 s) until each serves clients. */
    public static ZooKeeperEnsemble start(Path dir, int basePort) {
        int busy = Ports.firstBusy(basePort, portsNeeded());
        if (busy >= 0) {
            throw new SandboxException("port " + busy + " on 127.0.0.1 is in use; the ZooKeeper ensemble needs "
                    + portsNeeded() + " free ports from " + basePort);
        }
        // The servers' own warnings (election connections coming and going, a client gone) would drown the
        // demo's and the bench's output; their errors are still shown.
        if (org.slf4j.LoggerFactory.getLogger("org.apache.zookeeper") instanceof ch.qos.logback.classic.Logger l) {
            l.setLevel(ch.qos.logback.classic.Level.ERROR);
        }
        ZooKeeperEnsemble e = new ZooKeeperEnsemble(dir);
        try {
            Files.createDirectories(dir);
            StringJoiner members = new StringJoiner("\n");
            for (int i = 0; i < SERVERS; i++) {
                int client = basePort + 3 * i;
                e.clientPorts.add(client);
                members.add("server." + (i + 1) + "=127.0.0.1:" + (client + 1) + ":" + (client + 2) + ";127.0.0.1:"
                        + client);
            }
            for (int i = 0; i < SERVERS; i++) {
                Path base = Files.createDirectories(dir.resolve("zk" + (i + 1)));
                Path data = Files.createDirectories(base.resolve("data"));
                Files.writeString(data.resolve("myid"), Integer.toString(i + 1));
                Properties p = new Properties();
                p.setProperty("tickTime", Integer.toString(TICK_MS));
                p.setProperty("initLimit", "20");
                p.setProperty("syncLimit", "8");
                p.setProperty("dataDir", data.toString());
                p.setProperty("clientPort", Integer.toString(e.clientPorts.get(i)));
                p.setProperty("clientPortAddress", "127.0.0.1");
                p.setProperty("admin.enableServer", "false");
                p.setProperty("4lw.commands.whitelist", "ruok,srvr,mntr");
                for (String line : members.toString().split("\n")) {
                    String[] kv = line.split("=", 2);
                    p.setProperty(kv[0], kv[1]);
                }
                ZooKeeperServerEmbedded s = ZooKeeperServerEmbedded.builder().baseDir(base).configuration(p)
                        .exitHandler(ExitHandler.LOG_ONLY).build();
                e.servers.add(s);
                s.start();
            }
            for (int port : e.clientPorts) {
                e.awaitServing(port, 30_000);
            }
            return e;
        } catch (Exception ex) {
            e.close();
            throw ex instanceof SandboxException se ? se : new SandboxException("the ZooKeeper ensemble did not "
                    + "start in " + dir + ": " + ex.getMessage(), ex);
        }
    }

    /** Waits until the server on {@code port} answers {@code srvr} as a leader or follower (it is in a quorum). */
    private void awaitServing(int port, long timeoutMs) throws IOException, InterruptedException {
        long end = System.currentTimeMillis() + timeoutMs;
        String last = "";
        while (System.currentTimeMillis() < end) {
            last = fourLetters(port, "srvr");
            if (last.contains("Mode: leader") || last.contains("Mode: follower")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new SandboxException("ZooKeeper on 127.0.0.1:" + port + " is not in a quorum after " + timeoutMs
                + " ms (last answer: " + last.lines().findFirst().orElse("none") + ")");
    }

    /** A four-letter-word answer, or "" when the server does not answer. */
    static String fourLetters(int port, String word) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 500);
            s.setSoTimeout(1000);
            s.getOutputStream().write(word.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            return new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return "";
        }
    }

    /** host:port,host:port,host:port for {@code coordination.zookeeper.connect}. */
    public String connectString() {
        StringJoiner j = new StringJoiner(",");
        clientPorts.forEach(p -> j.add("127.0.0.1:" + p));
        return j.toString();
    }

    public Path dir() {
        return dir;
    }

    @Override
    public void close() {
        for (ZooKeeperServerEmbedded s : servers) {
            try {
                s.close();
            } catch (RuntimeException e) {
                // the others still stop
            }
        }
        servers.clear();
    }
}
