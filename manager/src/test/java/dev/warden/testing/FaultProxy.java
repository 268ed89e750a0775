package dev.warden.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on 127.0.0.1 that a test can cut: {@link #refuse()} closes its port and resets every connection
 * (connects are refused), {@link #blackhole()} keeps accepting but forwards nothing either way (connections
 * hang, as when packets are silently dropped), {@link #heal()} restores forwarding. Real TCP behaviour for the
 * client; the server behind it is untouched.
 */
public final class FaultProxy implements AutoCloseable {

    public enum Mode { PASS, REFUSE, BLACKHOLE }

    private final int port;
    private final int target;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    /** Connections that forward nothing any more (see {@link #hangNext}). */
    private final Set<Socket> held = ConcurrentHashMap.newKeySet();
    private volatile Mode mode = Mode.PASS;
    /** New connections still to swallow (accepted, never answered) before passing again; see {@link #hangNext}. */
    private final java.util.concurrent.atomic.AtomicInteger toHang = new java.util.concurrent.atomic.AtomicInteger();
    private volatile ServerSocket server;
    private volatile boolean closed;

    public FaultProxy(int port, int target) throws IOException {
        this.port = port;
        this.target = target;
        listen();
    }

    public int port() {
        return port;
    }

    private synchronized void listen() throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
        server = s;
        Thread t = new Thread(() -> accept(s), "proxy-" + port);
        t.setDaemon(true);
        t.start();
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket client = s.accept();
                sockets.add(client);
                if (mode == Mode.REFUSE) {
                    reset(client); // accepted just as the port was closed: refused all the same
                    continue;
                }
                if (mode == Mode.BLACKHOLE) {
                    continue; // accepted, never answered
                }
                if (toHang.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
                    continue; // one of the connections to swallow
                }
                Socket upstream = new Socket("127.0.0.1", target);
                sockets.add(upstream);
                pipe(client, upstream);
                pipe(upstream, client);
            } catch (IOException e) {
                // closed, or upstream refused: drop this connection
            }
        }
    }

    private void pipe(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    if (mode == Mode.REFUSE) {
                        reset(from);
                        reset(to);
                        return; // a connection the reset missed ends at its next byte
                    }
                    while ((mode == Mode.BLACKHOLE || held.contains(from) || held.contains(to)) && !closed) {
                        Thread.sleep(10); // hold the bytes: nothing crosses while dropping
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // connection ended
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "proxy-pipe-" + port);
        t.setDaemon(true);
        t.start();
    }

    /** Connects are refused and existing connections reset. */
    public synchronized void refuse() throws IOException {
        mode = Mode.REFUSE;
        server.close();
        for (Socket s : List.copyOf(sockets)) {
            reset(s);
            sockets.remove(s);
        }
    }

    /** Connections hang: accepted, nothing forwarded. */
    public synchronized void blackhole() {
        mode = Mode.BLACKHOLE;
    }

    /**
     * A brief stall: the connections open now stop forwarding for good (bytes held, as if packets were dropped), the
     * next {@code connections} new ones are accepted and never answered, and every later one passes.
     */
    public synchronized void hangNext(int connections) {
        toHang.set(connections);
        for (Socket s : sockets) {
            held.add(s);
        }
    }

    public synchronized void heal() throws IOException {
        Mode before = mode;
        mode = Mode.PASS;
        if (before == Mode.REFUSE) {
            listen();
        }
    }

    /** Closes with a reset (RST), as a closed port does to the connections it had. */
    private static void reset(Socket s) {
        try {
            s.setSoLinger(true, 0);
        } catch (IOException e) {
            // already closed
        }
        closeQuietly(s);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        mode = Mode.PASS;
        server.close();
        sockets.forEach(FaultProxy::closeQuietly);
    }
}
