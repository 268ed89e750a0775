package dev.warden.model;

import java.util.List;

/**
 * Transactions a server has that a reference server (its primary) lacks: on a replica, errant transactions;
 * on an old primary, what it committed and nobody received. Pure.
 *
 * @param count       how many (MySQL: exact; MariaDB: at least one per listed range)
 * @param description the GTIDs, as a set (MySQL) or per-origin ranges (MariaDB); "" when none
 * @param set         the same as a GTID set (MySQL); empty for MariaDB
 * @param origins     MariaDB "domain-server" pairs the errant transactions came from; empty for MySQL
 */
public record ErrantTransactions(long count, String description, GtidSet set, java.util.Set<String> origins) {

    public static final ErrantTransactions NONE = new ErrantTransactions(0, "", GtidSet.EMPTY, java.util.Set.of());

    public ErrantTransactions {
        origins = java.util.Set.copyOf(origins);
    }

    /** A MariaDB position without the GTIDs of errant origins. */
    public GtidPosition withoutErrant(GtidPosition p) {
        if (origins.isEmpty() || !(p instanceof MariaDbGtidPosition m)) {
            return p;
        }
        return MariaDbGtidPosition.of(m.domains().values().stream()
                .filter(g -> !origins.contains(g.domain() + "-" + g.serverId())).toList());
    }

    public boolean any() {
        return count > 0;
    }

    /**
     * What {@code server} has that {@code reference} lacks, leaving out what the reference itself originated (its
     * server_uuid on MySQL, its server_id on MariaDB): those came from it, and the server merely has them before the
     * state of the reference we hold (read a moment earlier, or last seen before it became unreachable) does.
     */
    public static ErrantTransactions of(ServerState server, ServerState reference) {
        if (server.flavor() != reference.flavor()) {
            throw new IllegalArgumentException("cannot compare " + server.flavor() + " with " + reference.flavor());
        }
        return of(server.flavor(), server.gtidExecuted(), server.binlogState(), reference.gtidExecuted(),
                reference.binlogState(), reference.serverUuid(), reference.serverId());
    }

    /**
     * The same from the raw positions: {@code executed} is gtid_executed (MySQL), {@code binlog} gtid_binlog_state
     * (MariaDB); the reference's server_uuid (MySQL) or server_id (MariaDB) names what it originated.
     */
    public static ErrantTransactions of(Flavor flavor, GtidPosition executed, MariaDbBinlogState binlog,
                                        GtidPosition referenceExecuted, MariaDbBinlogState referenceBinlog,
                                        String referenceUuid, long referenceServerId) {
        if (flavor == Flavor.MYSQL) {
            GtidSet extra = ((GtidSet) executed).subtract((GtidSet) referenceExecuted);
            if (referenceUuid != null) {
                java.util.Map<GtidSource, List<GtidInterval>> rest = new java.util.LinkedHashMap<>(extra.sources());
                rest.keySet().removeIf(src -> src.uuid().equalsIgnoreCase(referenceUuid));
                extra = GtidSet.of(rest);
            }
            return extra.isEmpty() ? NONE : new ErrantTransactions(extra.count(), extra.toString(), extra,
                    java.util.Set.of());
        }
        MariaDbBinlogState mine = binlog.without(referenceServerId);
        List<String> extra = mine.notIn(referenceBinlog);
        return extra.isEmpty() ? NONE : new ErrantTransactions(mine.countNotIn(referenceBinlog),
                String.join(",", extra), GtidSet.EMPTY, mine.originsNotIn(referenceBinlog));
    }
}
