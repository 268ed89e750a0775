package dev.warden.model;

/** The last error of a replication thread: MySQL error number, message and when it happened (server text). */
public record ReplicationError(int errno, String message, String timestamp) {

    public static ReplicationError orNull(int errno, String message, String timestamp) {
        if (errno == 0 && (message == null || message.isBlank())) {
            return null;
        }
        return new ReplicationError(errno, message == null ? "" : message, timestamp == null ? "" : timestamp);
    }

    @Override
    public String toString() {
        return "error " + errno + ": " + message;
    }
}
