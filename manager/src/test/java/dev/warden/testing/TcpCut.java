package dev.warden.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on 127.0.0.1 in front of one address, which a test can cut: while cut, bytes already accepted are
 * dropped and nothing goes through in either direction (connections stay open, as behind a lost route, so the
 * client sees silence rather than a reset). Restoring lets new and open connections flow again.
 */
public final class TcpCut implements AutoCloseable {

    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile boolean cut;
    /** Raised by every cut: a connection open before a cut stays silent for good (its stream lost bytes). */
    private volatile int generation;
    private volatile boolean closed;

    public TcpCut(InetSocketAddress target) throws IOException {
        this.target = target;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::accept, "tcp-cut-" + listener.getLocalPort());
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    public void cut() {
        cut = true;
        generation++;
    }

    public void restore() {
        cut = false;
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                if (cut) {
                    open.add(client); // accepted, then silence: like a route that drops everything
                    continue;
                }
                Socket server = new Socket();
                try {
                    server.connect(target, 2000);
                } catch (IOException e) {
                    client.close();
                    continue;
                }
                open.add(client);
                open.add(server);
                int g = generation;
                pump(client, server, g);
                pump(server, client, g);
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void pump(Socket from, Socket to, int born) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    if (!cut && generation == born) {
                        out.write(buf, 0, n);
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // one side closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "tcp-cut-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closed already
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            // closed already
        }
        open.forEach(TcpCut::closeQuietly);
    }
}
