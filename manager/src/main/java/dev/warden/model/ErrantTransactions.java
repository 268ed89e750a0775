package dev.warden.model;

import java.util.List;

/**
 * Transactions a server has that a reference server (its primary) lacks: on a replica, errant transactions;
 * on an old primary, what it committed and nobody received. Pure.
 *
 * @param count       how many (MySQL: exact; MariaDB: at least one per listed range)
 * @param description the GTIDs, as a set (MySQL) or per-origin ranges (MariaDB); "" when none
 */
public record ErrantTransactions(long count, String description) {

    public static final ErrantTransactions NONE = new ErrantTransactions(0, "");

    public boolean any() {
        return count > 0;
    }

    /** What {@code server} has that {@code reference} lacks. */
    public static ErrantTransactions of(ServerState server, ServerState reference) {
        if (server.flavor() != reference.flavor()) {
            throw new IllegalArgumentException("cannot compare " + server.flavor() + " with " + reference.flavor());
        }
        if (server.flavor() == Flavor.MYSQL) {
            GtidSet extra = ((GtidSet) server.gtidExecuted()).subtract((GtidSet) reference.gtidExecuted());
            return extra.isEmpty() ? NONE : new ErrantTransactions(extra.count(), extra.toString());
        }
        List<String> extra = server.binlogState().notIn(reference.binlogState());
        return extra.isEmpty() ? NONE
                : new ErrantTransactions(server.binlogState().countNotIn(reference.binlogState()), String.join(",", extra));
    }
}
