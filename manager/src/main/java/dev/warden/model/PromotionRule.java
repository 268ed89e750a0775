package dev.warden.model;

import java.util.Locale;

/** Whether a server may become primary: preferred, neutral, or never. */
public enum PromotionRule {
    PREFER,
    NEUTRAL,
    MUST_NOT;

    public static PromotionRule parse(String text) {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
