package dev.warden.proxy;

import dev.warden.model.InstanceKey;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * HAProxy's runtime API (the {@code stats socket ... level admin}): one command per connection, the answer read
 * to the end. The socket is a unix path or host:port.
 */
public final class HaproxyClient {

    private final String socket;
    private final Duration timeout;

    public HaproxyClient(String socket, Duration timeout) {
        this.socket = socket;
        this.timeout = timeout;
    }

    public String socket() {
        return socket;
    }

    /** Sends one command and returns the answer; an answer that is an HAProxy error throws. */
    public String command(String command) throws IOException {
        SocketAddress address;
        SocketChannel ch;
        if (socket.startsWith("/")) {
            address = UnixDomainSocketAddress.of(Path.of(socket));
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        } else {
            InstanceKey k = InstanceKey.parse(socket);
            InetSocketAddress a = new InetSocketAddress(k.host(), k.port());
            if (a.isUnresolved()) {
                throw new IOException("HAProxy's admin address " + socket + " does not resolve");
            }
            address = a;
            ch = SocketChannel.open();
        }
        try (SocketChannel c = ch; java.nio.channels.Selector selector = java.nio.channels.Selector.open()) {
            long end = System.nanoTime() + timeout.toNanos();
            // Connect and send without blocking: a stopped HAProxy's full backlog must not hold the caller.
            c.configureBlocking(false);
            var key = c.register(selector, java.nio.channels.SelectionKey.OP_CONNECT);
            if (!c.connect(address)) {
                while (!c.finishConnect()) {
                    long left = (end - System.nanoTime()) / 1_000_000;
                    if (left <= 0) {
                        throw new IOException("HAProxy at " + socket + " did not accept a connection within "
                                + timeout.toMillis() + " ms");
                    }
                    selector.select(left);
                    selector.selectedKeys().clear();
                }
            }
            ByteBuffer out = ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.US_ASCII));
            key.interestOps(java.nio.channels.SelectionKey.OP_WRITE);
            while (out.hasRemaining()) {
                long left = (end - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    throw new IOException("HAProxy at " + socket + " did not take '" + command + "' within "
                            + timeout.toMillis() + " ms");
                }
                if (c.write(out) == 0) {
                    selector.select(left);
                    selector.selectedKeys().clear();
                }
            }
            c.shutdownOutput();
            key.interestOps(java.nio.channels.SelectionKey.OP_READ);
            StringBuilder sb = new StringBuilder();
            ByteBuffer buf = ByteBuffer.allocate(8192);
            while (true) {
                long left = (end - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    throw new IOException("HAProxy at " + socket + " did not answer '" + command + "' within "
                            + timeout.toMillis() + " ms");
                }
                selector.select(left);
                selector.selectedKeys().clear();
                buf.clear();
                int n = c.read(buf);
                if (n < 0) {
                    break;
                }
                sb.append(new String(buf.array(), 0, n, StandardCharsets.UTF_8));
            }
            String answer = sb.toString();
            String lower = answer.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith("no such") || lower.contains("unknown command") || lower.startsWith("require")
                    || lower.contains("permission denied")) {
                throw new IOException("HAProxy refused '" + command + "': " + answer.strip());
            }
            return answer;
        }
    }

    /** {@code show servers state} for one backend, by column name. */
    public List<ServerState> serversState(String backend) throws IOException {
        return parseServersState(command("show servers state " + backend));
    }

    /** A server slot of a backend as HAProxy reports it. */
    public record ServerState(String backend, String name, InstanceKey address, boolean maintenance, int weight,
                              boolean drain) {
    }

    static List<ServerState> parseServersState(String text) {
        List<ServerState> out = new ArrayList<>();
        String[] header = null;
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (l.startsWith("# ")) {
                header = l.substring(2).split("\\s+");
                continue;
            }
            if (l.isEmpty() || header == null) {
                continue;
            }
            String[] f = l.split("\\s+");
            Map<String, String> m = new HashMap<>();
            for (int i = 0; i < header.length && i < f.length; i++) {
                m.put(header[i], f[i]);
            }
            int admin = Integer.parseInt(m.getOrDefault("srv_admin_state", "0"));
            int op = Integer.parseInt(m.getOrDefault("srv_op_state", "0"));
            InstanceKey key = new InstanceKey(m.get("srv_addr"), Integer.parseInt(m.getOrDefault("srv_port", "0")));
            // Forced (0x01) or inherited (0x02) maintenance, or stopped. 0x04 only remembers "disabled" in the
            // configuration and stays set after 'state ready'.
            boolean maintenance = (admin & 0x03) != 0 || op == 0;
            out.add(new ServerState(m.get("be_name"), m.get("srv_name"), key, maintenance,
                    Integer.parseInt(m.getOrDefault("srv_uweight", "1")), (admin & 0x08) != 0));
        }
        return out;
    }
}
