package dev.warden.dialect;

/**
 * Quotes string literals for statements that cannot take bind parameters ({@code CHANGE REPLICATION SOURCE},
 * {@code CHANGE MASTER}). Correct for the default {@code sql_mode}; connections that send such statements
 * set the session sql_mode without {@code NO_BACKSLASH_ESCAPES}.
 */
public final class SqlLiteral {

    private SqlLiteral() {
    }

    public static String quote(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 2).append('\'');
        for (char c : value.toCharArray()) {
            switch (c) {
                case '\'' -> sb.append("''");
                case '\\' -> sb.append("\\\\");
                case '\0' -> sb.append("\\0");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\u001a' -> sb.append("\\Z");
                default -> sb.append(c);
            }
        }
        return sb.append('\'').toString();
    }

    /** Seconds with millisecond precision, as heartbeat periods and wait timeouts take them: {@code 1.500}. */
    public static String seconds(java.time.Duration d) {
        long ms = d.toMillis();
        return String.format(java.util.Locale.ROOT, "%d.%03d", ms / 1000, ms % 1000);
    }
}
