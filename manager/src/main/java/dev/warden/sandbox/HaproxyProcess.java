package dev.warden.sandbox;

import dev.warden.proxy.HaproxyClient;



import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real HAProxy (Debian package haproxy) in front of a sandbox: a writer frontend and a reader frontend, every
 * server in both backends, all starting in maintenance: Warden decides who serves. Stopped on close.
 */
public final class HaproxyProcess implements AutoCloseable {

    public static final String WRITER = "mysql_writer";
    public static final String READERS = "mysql_readers";

    private final Process process;
    private final Path socket;
    private final Path dir;
    public final int writerPort;
    public final int readerPort;

    private HaproxyProcess(Process process, Path socket, Path dir, int writerPort, int readerPort) {
        this.process = process;
        this.socket = socket;
        this.dir = dir;
        this.writerPort = writerPort;
        this.readerPort = readerPort;
    }

    public static boolean installed() {
        return Files.isExecutable(Path.of("/usr/sbin/haproxy"));
    }

    public static HaproxyProcess start(Sandbox sb) throws IOException, InterruptedException {
        return start(sb, 0);
    }

    /**
     * A HAProxy that asks Warden's load-balancer checks on {@code wardenPort} who serves (HTTP health checks every
     * 200 ms, one answer changes the state) instead of being told through its admin socket; servers are named
     * host:port, which the checks' paths carry.
     */
    public static HaproxyProcess checkedBy(Sandbox sb, int wardenPort) throws IOException, InterruptedException {
        return start(sb, wardenPort);
    }

    private static HaproxyProcess start(Sandbox sb, int wardenPort) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(sb.spec().dir().resolve("haproxy"));
        Path socket = Path.of("/tmp", "warden-haproxy-" + ProcessHandle.current().pid() + "-" + System.nanoTime()
                + ".sock");
        int base = Ports.freeBlock(2);
        StringBuilder cfg = new StringBuilder();
        cfg.append("global\n  stats socket ").append(socket).append(" mode 600 level admin\n  maxconn 2000\n");
        cfg.append("defaults\n  mode tcp\n  timeout connect 1s\n  timeout client 60s\n  timeout server 60s\n");
        cfg.append("frontend writer\n  bind 127.0.0.1:").append(base).append("\n  default_backend ").append(WRITER)
                .append('\n');
        cfg.append("frontend reader\n  bind 127.0.0.1:").append(base + 1).append("\n  default_backend ")
                .append(READERS).append('\n');
        for (String backend : List.of(WRITER, READERS)) {
            cfg.append("backend ").append(backend).append('\n');
            if (wardenPort > 0) {
                cfg.append("  option httpchk\n  http-check send meth GET uri-lf /lb/sandbox/")
                        .append(backend.equals(WRITER) ? "primary" : "replica").append("/%[srv_name]\n")
                        .append("  http-check expect status 200\n");
            }
            for (SandboxInstance i : sb.instances()) {
                String address = "127.0.0.1:" + i.port();
                cfg.append("  server ").append(wardenPort > 0 ? address : i.name()).append(' ').append(address)
                        .append(wardenPort > 0 ? " check port " + wardenPort + " inter 200 fall 1 rise 1"
                                : " disabled").append('\n');
            }
        }
        Path file = dir.resolve("haproxy.cfg");
        Files.writeString(file, cfg.toString());
        Process p = new ProcessBuilder("/usr/sbin/haproxy", "-db", "-f", file.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("haproxy.log").toFile()).start();
        HaproxyProcess hp = new HaproxyProcess(p, socket, dir, base, base + 1);
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < end) {
            if (!p.isAlive()) {
                throw new IllegalStateException("haproxy exited: " + Files.readString(dir.resolve("haproxy.log")));
            }
            try {
                hp.client().command("show info");
                return hp;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        hp.close();
        throw new IllegalStateException("haproxy's admin socket did not answer within 20 s");
    }

    public HaproxyClient client() {
        return new HaproxyClient(socket.toString(), Duration.ofSeconds(2));
    }

    /** The warden.yaml section that wires this HAProxy to the sandbox's cluster. */
    public String yaml(Duration maxLag) {
        return "haproxy:\n  - cluster: sandbox\n    socket: " + socket + "\n    writer_backend: " + WRITER
                + "\n    reader_backend: " + READERS + "\n    max_lag: " + maxLag.toMillis() + "ms\n";
    }

    /** Names of the servers of a backend that its health checks mark up (operational state 2, running). */
    public List<String> up(String backend) {
        try {
            String state = client().command("show servers state " + backend);
            List<String> up = new java.util.ArrayList<>();
            String[] header = null;
            for (String line : state.split("\n")) {
                String l = line.strip();
                if (l.startsWith("# ")) {
                    header = l.substring(2).split("\\s+");
                    continue;
                }
                String[] f = l.split("\\s+");
                if (header == null || f.length < header.length) {
                    continue;
                }
                int name = List.of(header).indexOf("srv_name");
                int op = List.of(header).indexOf("srv_op_state");
                if (name >= 0 && op >= 0 && f[op].equals("2")) {
                    up.add(f[name]);
                }
            }
            return up;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Names of the ready (not in maintenance) servers of a backend. */
    public List<String> ready(String backend) {
        try {
            return client().serversState(backend).stream().filter(s -> !s.maintenance()).map(s -> s.name()).toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws InterruptedException, IOException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        Files.deleteIfExists(socket);
    }
}
