package dev.warden.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A parsed YAML value that remembers where it was written and under which key path. */
public sealed interface ConfigNode {

    ConfigLocation location();

    /** The key path, such as {@code clusters.main.servers[0].port}; "" for the document root. */
    String path();

    /** "a map", "a list", "a value": for messages. */
    String kind();

    record MapNode(ConfigLocation location, String path, Map<String, ConfigNode> entries,
                   Map<String, ConfigLocation> keyLocations) implements ConfigNode {
        public MapNode {
            entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
            keyLocations = Collections.unmodifiableMap(new LinkedHashMap<>(keyLocations));
        }

        public ConfigNode get(String key) {
            return entries.get(key);
        }

        @Override
        public String kind() {
            return "a map";
        }
    }

    record ListNode(ConfigLocation location, String path, List<ConfigNode> items) implements ConfigNode {
        public ListNode {
            items = List.copyOf(items);
        }

        @Override
        public String kind() {
            return "a list";
        }
    }

    /** A scalar as text; {@code value} is null for YAML null ({@code ~}, {@code null} or nothing). */
    record ScalarNode(ConfigLocation location, String path, String value) implements ConfigNode {
        @Override
        public String kind() {
            return value == null ? "empty" : "a value";
        }
    }

    static String child(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    static String item(String parent, int index) {
        return parent + "[" + index + "]";
    }
}
