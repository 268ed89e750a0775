package dev.warden.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads YAML into {@link ConfigNode}s that remember file, line and key path, so validation can say exactly
 * where a problem is. Uses Jackson's streaming YAML parser; duplicate keys are reported, not silently merged.
 */
final class YamlTreeReader {

    private static final YAMLFactory FACTORY = new YAMLFactory();

    private final String file;
    private final List<ConfigProblem> problems;

    YamlTreeReader(String file, List<ConfigProblem> problems) {
        this.file = file;
        this.problems = problems;
    }

    /** The document's root, or null when the text is empty or not valid YAML (a problem is recorded). */
    ConfigNode read(String text) {
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                problems.add(new ConfigProblem(new ConfigLocation(file, 1, 1), "", "the file is empty"));
                return null;
            }
            return readValue(p, "");
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            ConfigLocation where = l == null ? new ConfigLocation(file, 1, 1)
                    : new ConfigLocation(file, Math.max(1, l.getLineNr()), Math.max(1, l.getColumnNr()));
            problems.add(new ConfigProblem(where, "", "not valid YAML: " + e.getOriginalMessage()));
            return null;
        } catch (IOException e) {
            problems.add(new ConfigProblem(new ConfigLocation(file, 1, 1), "", "cannot read: " + e.getMessage()));
            return null;
        }
    }

    private ConfigNode readValue(JsonParser p, String path) throws IOException {
        ConfigLocation here = location(p);
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT) {
            Map<String, ConfigNode> entries = new LinkedHashMap<>();
            Map<String, ConfigLocation> keys = new LinkedHashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                ConfigLocation keyLocation = location(p);
                p.nextToken();
                ConfigNode value = readValue(p, ConfigNode.child(path, key));
                if (entries.containsKey(key)) {
                    problems.add(new ConfigProblem(keyLocation, ConfigNode.child(path, key),
                            "written twice (first at line " + keys.get(key).line() + "); keep one"));
                    continue;
                }
                entries.put(key, value);
                keys.put(key, keyLocation);
            }
            return new ConfigNode.MapNode(here, path, entries, keys);
        }
        if (t == JsonToken.START_ARRAY) {
            List<ConfigNode> items = new ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                items.add(readValue(p, ConfigNode.item(path, items.size())));
            }
            return new ConfigNode.ListNode(here, path, items);
        }
        String value = t == JsonToken.VALUE_NULL ? null : p.getText();
        return new ConfigNode.ScalarNode(here, path, value);
    }

    private ConfigLocation location(JsonParser p) {
        JsonLocation l = p.currentTokenLocation();
        return new ConfigLocation(file, Math.max(1, l.getLineNr()), Math.max(1, l.getColumnNr()));
    }
}
