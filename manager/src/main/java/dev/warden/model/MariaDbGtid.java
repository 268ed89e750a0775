package dev.warden.model;

/** One MariaDB GTID, {@code domain-server-sequence}. */
public record MariaDbGtid(long domain, long serverId, long sequence) {

    public MariaDbGtid {
        if (domain < 0 || domain > 0xFFFF_FFFFL || serverId < 0 || serverId > 0xFFFF_FFFFL || sequence < 0) {
            throw new IllegalArgumentException("invalid MariaDB GTID " + domain + "-" + serverId + "-" + sequence);
        }
    }

    public static MariaDbGtid parse(String text) {
        String t = text.trim();
        String[] p = t.split("-");
        if (p.length != 3) {
            throw new IllegalArgumentException("'" + t + "' is not a MariaDB GTID (domain-server-sequence)");
        }
        try {
            return new MariaDbGtid(Long.parseLong(p[0]), Long.parseLong(p[1]), Long.parseLong(p[2]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + t + "' is not a MariaDB GTID (domain-server-sequence)");
        }
    }

    @Override
    public String toString() {
        return domain + "-" + serverId + "-" + sequence;
    }
}
