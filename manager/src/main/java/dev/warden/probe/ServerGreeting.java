package dev.warden.probe;

import dev.warden.model.InstanceKey;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * Whether a MySQL/MariaDB server process is alive behind a port: it sends its handshake greeting (in clear, before
 * TLS or login) as soon as it accepts a connection. A hung process (SIGSTOP, a frozen host) gets its connections
 * accepted by the kernel and never greets; a dead one refuses; a cut-off one does not even accept. A server that
 * greets may be taking writes, however slow its login is.
 */
public final class ServerGreeting {

    /** What the port showed. */
    public enum Seen {
        /** The server sent its greeting: the process runs. */
        GREETS,
        /** Connection refused: nothing listens. */
        REFUSED,
        /** Connected, but no greeting within the time: the process does not run (hung or stopped). */
        SILENT,
        /** No connection within the time, or no route: cut off. */
        NO_ANSWER
    }

    private ServerGreeting() {
    }

    public static Seen look(InstanceKey key, Duration within) {
        int ms = (int) Math.max(1, within.toMillis());
        long end = System.nanoTime() + within.toNanos();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(key.host(), key.port()), ms);
            int left = (int) Math.max(1, (end - System.nanoTime()) / 1_000_000);
            s.setSoTimeout(left);
            InputStream in = s.getInputStream();
            return in.read() >= 0 ? Seen.GREETS : Seen.SILENT;
        } catch (ConnectException e) {
            return Seen.REFUSED;
        } catch (SocketTimeoutException e) {
            return e.getMessage() != null && e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("read")
                    ? Seen.SILENT : Seen.NO_ANSWER;
        } catch (IOException e) {
            return Seen.NO_ANSWER;
        }
    }
}
