package dev.warden.model;

/**
 * What {@code warden.term} on a server says: the epoch of the manager leadership that last promoted a primary of the
 * cluster (written on the new primary by the promote step, replicated from there), and that manager's name.
 * Written only by managers that coordinate through ZooKeeper; a server without the row carries no epoch.
 */
public record Term(long epoch, String manager) {

    /** The table, created by sql/heartbeat.sql (or by the promote step when missing and its account may). */
    public static final String TABLE = "warden.term";

    public String display() {
        return "epoch " + epoch + (manager == null || manager.isEmpty() ? "" : " (promoted by " + manager + ")");
    }
}
