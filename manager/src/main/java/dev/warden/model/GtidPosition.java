package dev.warden.model;

/**
 * What a server has executed or received, comparable across servers of one flavor:
 * a MySQL {@link GtidSet} or a MariaDB {@link MariaDbGtidPosition}. Comparing positions of different
 * flavors is a programming error and throws.
 */
public sealed interface GtidPosition permits GtidSet, MariaDbGtidPosition {

    boolean isEmpty();

    /** True when this position holds every transaction of {@code other}. */
    boolean contains(GtidPosition other);

    /** How many transactions of {@code other} this position lacks (0 when it contains other). */
    long missingFrom(GtidPosition other);

    /** Everything in either position. */
    GtidPosition union(GtidPosition other);

    static GtidPosition empty(Flavor flavor) {
        return flavor == Flavor.MARIADB ? MariaDbGtidPosition.EMPTY : GtidSet.EMPTY;
    }

    static GtidPosition parse(Flavor flavor, String text) {
        return flavor == Flavor.MARIADB ? MariaDbGtidPosition.parse(text) : GtidSet.parse(text);
    }
}
