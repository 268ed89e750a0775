package dev.warden.model;

/** Whether a server accepts writes: {@code read_only} and, on MySQL, {@code super_read_only}. */
public enum ReadOnlyState {
    WRITABLE,
    /** read_only=ON: ordinary users cannot write; SUPER/CONNECTION_ADMIN users can (MySQL). */
    READ_ONLY,
    /** super_read_only=ON (MySQL): nobody can write except replication. */
    SUPER_READ_ONLY;

    /**
     * read_only decides: MySQL turns read_only on with super_read_only, so super_read_only=1 with read_only=0 is a
     * {@code SET GLOBAL super_read_only=ON} still waiting for its lock, and the server still takes writes.
     */
    public static ReadOnlyState of(boolean readOnly, boolean superReadOnly) {
        if (!readOnly) return WRITABLE;
        return superReadOnly ? SUPER_READ_ONLY : READ_ONLY;
    }

    public boolean writable() {
        return this == WRITABLE;
    }

    public String display() {
        return switch (this) {
            case WRITABLE -> "writable";
            case READ_ONLY -> "read_only";
            case SUPER_READ_ONLY -> "super_read_only";
        };
    }
}
