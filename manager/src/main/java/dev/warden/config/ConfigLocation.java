package dev.warden.config;

/** Where a value was written: file, 1-based line and column. */
public record ConfigLocation(String file, int line, int column) {

    @Override
    public String toString() {
        return file + ":" + line;
    }
}
