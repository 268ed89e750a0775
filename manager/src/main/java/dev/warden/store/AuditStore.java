package dev.warden.store;

import java.time.Instant;
import java.util.List;

/** Who did what, from where: logins, switchovers, failovers asked for, maintenance, acknowledgements. */
public final class AuditStore {

    private final Store store;

    /**
     * @param source  the client's address (null for the command line on this host)
     * @param outcome what came of it: done, refused, failed, denied...
     */
    public record UserAction(Instant at, String who, String source, String action, String cluster, String target,
                             String detail, String outcome) {
    }

    AuditStore(Store store) {
        this.store = store;
    }

    /** Never throws: a failed write is logged and reported by the store's health. */
    public void record(UserAction a) {
        try {
            store.jdbi.useHandle(h -> h.createUpdate("INSERT INTO user_actions (at, who, source, action, cluster, "
                            + "target, detail, outcome) VALUES (:at, :who, :source, :action, :cluster, :target, :detail, "
                            + ":outcome)").bind("at", a.at().toEpochMilli()).bind("who", a.who())
                    .bind("source", a.source()).bind("action", a.action()).bind("cluster", a.cluster())
                    .bind("target", a.target()).bind("detail", a.detail()).bind("outcome", a.outcome()).execute());
            store.wrote();
        } catch (RuntimeException e) {
            store.failed("recording " + a.action() + " by " + a.who(), e);
        }
    }

    /** Newest first. */
    public List<UserAction> recent(int limit) {
        return store.jdbi.withHandle(h -> h.createQuery("SELECT * FROM user_actions ORDER BY at DESC, id DESC "
                        + "LIMIT :limit").bind("limit", limit)
                .map((rs, ctx) -> new UserAction(Instant.ofEpochMilli(rs.getLong("at")), rs.getString("who"),
                        rs.getString("source"), rs.getString("action"), rs.getString("cluster"),
                        rs.getString("target"), rs.getString("detail"), rs.getString("outcome")))
                .list());
    }
}
