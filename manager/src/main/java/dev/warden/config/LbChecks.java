package dev.warden.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;

/**
 * The health checks a load balancer polls ({@code /lb/...}): who may ask, and the replica lag they accept unless a
 * check says {@code ?max_lag=}. No login (they show no secrets and change nothing).
 *
 * @param allow client addresses or networks allowed to ask; empty: anyone who reaches the console's port
 */
public record LbChecks(List<Network> allow, Duration maxLag) {

    public static final Duration DEFAULT_MAX_LAG = Duration.ofSeconds(5);
    public static final LbChecks DEFAULTS = new LbChecks(List.of(), DEFAULT_MAX_LAG);

    public LbChecks {
        allow = List.copyOf(allow);
    }

    /** Whether a client at {@code address} (an IP literal) may ask. */
    public boolean allows(String address) {
        if (allow.isEmpty()) {
            return true;
        }
        byte[] a = Network.literal(address);
        return a != null && allow.stream().anyMatch(n -> n.contains(a));
    }

    /** An address or a network in CIDR form ({@code 10.0.0.0/8}, {@code 127.0.0.1}, {@code ::1}). */
    public record Network(String text, byte[] address, int prefix) {

        /** @throws IllegalArgumentException saying what is wrong */
        public static Network parse(String text) {
            String t = text.trim();
            int slash = t.indexOf('/');
            byte[] a = literal(slash < 0 ? t : t.substring(0, slash));
            if (a == null) {
                throw new IllegalArgumentException("'" + text + "' is not an IP address or network; write it like "
                        + "10.0.0.0/8, 192.168.1.7 or ::1 (host names are not resolved)");
            }
            int prefix = a.length * 8;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(t.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > a.length * 8) {
                    throw new IllegalArgumentException("'" + text + "': the prefix length must be 0.." + a.length * 8);
                }
            }
            return new Network(t, a, prefix);
        }

        boolean contains(byte[] a) {
            if (a.length != address.length) {
                return false;
            }
            for (int bit = 0; bit < prefix; bit++) {
                int mask = 0x80 >> (bit % 8);
                if ((a[bit / 8] & mask) != (address[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }

        /** The bytes of an IPv4 or IPv6 literal (an IPv4-mapped IPv6 one as IPv4); null for anything else. */
        static byte[] literal(String s) {
            String t = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
            boolean v4 = t.matches("\\d{1,3}(\\.\\d{1,3}){3}");
            boolean v6 = t.contains(":") && t.matches("[0-9a-fA-F:.%a-zA-Z0-9]+");
            if (!v4 && !v6) {
                return null; // never a name: InetAddress would resolve it
            }
            try {
                return InetAddress.getByName(t).getAddress();
            } catch (UnknownHostException | SecurityException e) {
                return null;
            }
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
