package dev.warden.model;

/** The server family: decides GTID model, SQL verbs and variable names. */
public enum Flavor {
    MYSQL("MySQL"),
    MARIADB("MariaDB");

    private final String displayName;

    Flavor(String displayName) {
        this.displayName = displayName;
    }

    public String displayName() {
        return displayName;
    }
}
