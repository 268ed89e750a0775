package dev.warden.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Where the console and API listen, and how.
 *
 * @param tls             HTTPS from a keystore; null for plain HTTP
 * @param sessionTimeout  how long a console login lasts
 * @param clientTokenFile a file holding an API token for the {@code warden} commands on this host that call the
 *                        daemon (ack, maintenance, switchover); null: they use {@code WARDEN_TOKEN}
 * @param lbChecks        the load balancers' health checks under {@code /lb/}
 */
public record HttpSettings(String host, int port, TlsSettings tls, Duration sessionTimeout, Path clientTokenFile,
                           LbChecks lbChecks) {

    public static final Duration DEFAULT_SESSION = Duration.ofHours(8);
    public static final HttpSettings DEFAULTS = new HttpSettings("127.0.0.1", 8080);

    public HttpSettings {
        lbChecks = lbChecks == null ? LbChecks.DEFAULTS : lbChecks;
    }

    public HttpSettings(String host, int port) {
        this(host, port, null, DEFAULT_SESSION, null, LbChecks.DEFAULTS);
    }

    /** Only reachable from this host. */
    public boolean loopback() {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
    }

    public String scheme() {
        return tls == null ? "http" : "https";
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
