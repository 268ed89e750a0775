package dev.warden.model;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server's exact version, as reported by {@code @@version} (and {@code @@version_comment}).
 * Capabilities are decided from it with {@link #atLeast(int, int, int)}, never by string comparison.
 */
public record ServerVersion(Flavor flavor, int major, int minor, int patch, String text)
        implements Comparable<ServerVersion> {

    private static final Pattern NUMBERS = Pattern.compile("^(\\d+)\\.(\\d+)\\.(\\d+)");
    /** MariaDB sent a fake "5.5.5-" prefix in old handshakes; some proxies still do. */
    private static final String MARIADB_HANDSHAKE_PREFIX = "5.5.5-";

    public ServerVersion {
        Objects.requireNonNull(flavor, "flavor");
        Objects.requireNonNull(text, "text");
    }

    public static ServerVersion of(Flavor flavor, int major, int minor, int patch) {
        return new ServerVersion(flavor, major, minor, patch, major + "." + minor + "." + patch);
    }

    /**
     * Parses {@code @@version} such as {@code 8.0.15}, {@code 9.7.4} or {@code 10.11.19-MariaDB-0+deb12u1-log}.
     *
     * @param versionComment {@code @@version_comment}, may be null; used to recognise MariaDB builds
     *                       whose version string does not say so.
     */
    public static ServerVersion parse(String version, String versionComment) {
        if (version == null || version.isBlank()) {
            throw new IllegalArgumentException("empty server version");
        }
        String v = version.trim();
        String lower = (v + " " + (versionComment == null ? "" : versionComment)).toLowerCase(Locale.ROOT);
        Flavor flavor = lower.contains("mariadb") ? Flavor.MARIADB : Flavor.MYSQL;
        String numeric = v;
        if (flavor == Flavor.MARIADB && v.startsWith(MARIADB_HANDSHAKE_PREFIX)) {
            numeric = v.substring(MARIADB_HANDSHAKE_PREFIX.length());
        }
        Matcher m = NUMBERS.matcher(numeric);
        if (!m.find()) {
            throw new IllegalArgumentException("cannot read a version number from '" + version + "'");
        }
        return new ServerVersion(flavor, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)), v);
    }

    public boolean atLeast(int major, int minor, int patch) {
        if (this.major != major) {
            return this.major > major;
        }
        if (this.minor != minor) {
            return this.minor > minor;
        }
        return this.patch >= patch;
    }

    public boolean isMySql() {
        return flavor == Flavor.MYSQL;
    }

    public boolean isMariaDb() {
        return flavor == Flavor.MARIADB;
    }

    /** "MySQL 8.0.15" or "MariaDB 10.11.19". */
    public String shortName() {
        return flavor.displayName() + " " + major + "." + minor + "." + patch;
    }

    @Override
    public int compareTo(ServerVersion o) {
        int c = flavor.compareTo(o.flavor);
        if (c == 0) c = Integer.compare(major, o.major);
        if (c == 0) c = Integer.compare(minor, o.minor);
        if (c == 0) c = Integer.compare(patch, o.patch);
        return c;
    }

    @Override
    public String toString() {
        return shortName();
    }
}
