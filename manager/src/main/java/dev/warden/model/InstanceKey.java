package dev.warden.model;

import java.util.Comparator;
import java.util.Objects;

/** Where a server listens: host and port. Hosts compare case-insensitively (stored lower-case). */
public record InstanceKey(String host, int port) implements Comparable<InstanceKey> {

    private static final Comparator<InstanceKey> ORDER =
            Comparator.comparing(InstanceKey::host).thenComparingInt(InstanceKey::port);

    public InstanceKey {
        Objects.requireNonNull(host, "host");
        host = host.trim().toLowerCase(java.util.Locale.ROOT);
        if (host.isEmpty()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 1..65535");
        }
    }

    public static InstanceKey of(String host, int port) {
        return new InstanceKey(host, port);
    }

    /** Parses {@code host:port}; IPv6 hosts are written {@code [::1]:3306}. */
    public static InstanceKey parse(String text) {
        Objects.requireNonNull(text, "text");
        String t = text.trim();
        int colon = t.lastIndexOf(':');
        if (colon <= 0 || colon == t.length() - 1) {
            throw new IllegalArgumentException("'" + text + "' is not host:port");
        }
        String host = t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            return new InstanceKey(host, Integer.parseInt(t.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' has no numeric port");
        }
    }

    @Override
    public int compareTo(InstanceKey other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
