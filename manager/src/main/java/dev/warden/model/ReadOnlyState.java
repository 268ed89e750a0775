package dev.warden.model;

/** Whether a server accepts writes: {@code read_only} and, on MySQL, {@code super_read_only}. */
public enum ReadOnlyState {
    WRITABLE,
    /** read_only=ON: ordinary users cannot write; SUPER/CONNECTION_ADMIN users can (MySQL). */
    READ_ONLY,
    /** super_read_only=ON (MySQL): nobody can write except replication. */
    SUPER_READ_ONLY;

    public static ReadOnlyState of(boolean readOnly, boolean superReadOnly) {
        if (superReadOnly) return SUPER_READ_ONLY;
        return readOnly ? READ_ONLY : WRITABLE;
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
