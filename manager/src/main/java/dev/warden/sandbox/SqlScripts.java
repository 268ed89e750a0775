package dev.warden.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Loads the SQL files from {@code sql/} (packaged as resources), fills placeholders, splits statements. */
public final class SqlScripts {

    private SqlScripts() {
    }

    public static String load(String resource) {
        try (InputStream in = SqlScripts.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("resource " + resource + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource, e);
        }
    }

    /** Replaces {@code ${NAME}} with values; every placeholder must have one. */
    public static String fill(String text, Map<String, String> values) {
        String out = text;
        for (Map.Entry<String, String> e : values.entrySet()) {
            out = out.replace("${" + e.getKey() + "}", e.getValue());
        }
        for (String line : out.split("\n")) {
            if (!line.trim().startsWith("--") && line.contains("${")) {
                throw new IllegalStateException("unfilled placeholder in: " + line.trim());
            }
        }
        return out;
    }

    /** Statements separated by ';' at the end of a line; '--' comment lines are dropped. */
    public static List<String> statements(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n")) {
            String trimmed = line.trim();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String s = current.toString().trim();
                out.add(s.substring(0, s.length() - 1).trim());
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            out.add(current.toString().trim());
        }
        return out;
    }
}
