package dev.warden.dialect;

import java.util.Objects;

/**
 * A statement to send, and the same statement safe to log (secrets replaced by {@code <masked>}).
 */
public record Sql(String text, String display) {

    public Sql {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(display, "display");
    }

    public static Sql of(String text) {
        return new Sql(text, text);
    }

    @Override
    public String toString() {
        return display;
    }
}
