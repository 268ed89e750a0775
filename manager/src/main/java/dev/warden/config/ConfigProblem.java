package dev.warden.config;

/** One thing wrong (or corrected) in a configuration file, with where it is and which key. */
public record ConfigProblem(ConfigLocation location, String key, String message) {

    @Override
    public String toString() {
        String where = location == null ? "" : location + ": ";
        String k = key == null || key.isEmpty() ? "" : key + ": ";
        return where + k + message;
    }
}
