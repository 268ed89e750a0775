package dev.warden.config;

import dev.warden.config.ConfigNode.ListNode;
import dev.warden.config.ConfigNode.MapNode;
import dev.warden.model.HookEvent;
import dev.warden.model.InstanceKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The {@code hooks} and {@code haproxy} sections. */
final class HookBinder {

    private final NodeReader r;

    HookBinder(NodeReader r) {
        this.r = r;
    }

    List<HookConfig> hooks(ConfigNode n, Set<String> clusterNames) {
        if (n == null) {
            return List.of();
        }
        ListNode l = r.list(n);
        if (l == null) {
            return List.of();
        }
        List<HookConfig> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (ConfigNode item : l.items()) {
            HookConfig h = hook(item, clusterNames);
            if (h == null) {
                continue;
            }
            if (!names.add(h.name())) {
                r.error(item, "hook name '" + h.name() + "' is used twice; names identify hooks in operation records");
                continue;
            }
            out.add(h);
        }
        return out;
    }

    private HookConfig hook(ConfigNode item, Set<String> clusterNames) {
        MapNode m = r.map(item);
        if (m == null) {
            return null;
        }
        r.allowOnly(m, "name", "events", "type", "url", "secret", "command", "timeout", "retries", "backoff",
                "class", "clusters");
        String name = r.string(m, "name", true);
        HookConfig.Type type = r.choice(m, "type", null, HookConfig.Type.values(),
                t -> t.name().toLowerCase(java.util.Locale.ROOT));
        if (m.get("type") == null) {
            r.error(m.location(), ConfigNode.child(m.path(), "type"), "is required: http or command");
        }
        Set<String> events = new HashSet<>();
        for (String e : strings(m, "events", true)) {
            if (HookEvent.parse(e).isEmpty()) {
                r.error(m.get("events"), "'" + e + "' is not an event; events are " + Arrays.stream(HookEvent.values())
                        .map(HookEvent::configName).collect(Collectors.joining(", ")));
            } else {
                events.add(HookEvent.parse(e).get().configName());
            }
        }
        String url = r.string(m, "url", false);
        List<String> command = strings(m, "command", false);
        if (type == HookConfig.Type.HTTP && url == null) {
            r.error(m.location(), ConfigNode.child(m.path(), "url"), "is required for an http hook");
        }
        if (type == HookConfig.Type.HTTP && url != null && !url.matches("https?://.+")) {
            r.error(m.get("url"), "'" + url + "' is not an http:// or https:// URL");
        }
        if (type == HookConfig.Type.COMMAND && command.isEmpty()) {
            r.error(m.location(), ConfigNode.child(m.path(), "command"),
                    "is required for a command hook: a list, program first, like [/usr/local/bin/page, --urgent]");
        }
        String secret = r.string(m, "secret", false);
        HookConfig.HookClass cls = r.choice(m, "class", HookConfig.HookClass.BEST_EFFORT,
                HookConfig.HookClass.values(), c -> c.name().toLowerCase(java.util.Locale.ROOT));
        if (cls == HookConfig.HookClass.GATE && events.stream().noneMatch(e -> HookEvent.parse(e).get().gates())) {
            r.warn(m, "a gate hook only stops operations on pre_failover and pre_switchover; on its other events it "
                    + "is recorded like a best_effort one");
        }
        List<String> clusters = strings(m, "clusters", false);
        for (String c : clusters) {
            if (!clusterNames.contains(c)) {
                r.error(m.get("clusters"), "no cluster '" + c + "'");
            }
        }
        Duration timeout = r.duration(m, "timeout", Duration.ofSeconds(5), Duration.ofMillis(50), Duration.ofMinutes(10));
        int retries = r.integer(m, "retries", 2, 0, 20, true);
        Duration backoff = r.duration(m, "backoff", Duration.ofMillis(200), Duration.ZERO, Duration.ofMinutes(1));
        if (name == null || type == null) {
            return null;
        }
        return new HookConfig(name, events, type, url, secret == null ? null : Secret.of(secret), command, timeout,
                retries, backoff, cls, new HashSet<>(clusters));
    }

    private List<String> strings(MapNode m, String key, boolean required) {
        ConfigNode n = m.get(key);
        if (n == null) {
            if (required) {
                r.error(m.location(), ConfigNode.child(m.path(), key), "is required: a list");
            }
            return List.of();
        }
        ListNode l = r.list(n);
        if (l == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (ConfigNode item : l.items()) {
            String v = r.scalarText(item, true);
            if (v != null) {
                out.add(v);
            }
        }
        return out;
    }

    List<HaproxyConfig> haproxy(ConfigNode n, List<ClusterConfig> clusters) {
        if (n == null) {
            return List.of();
        }
        ListNode l = r.list(n);
        if (l == null) {
            return List.of();
        }
        List<HaproxyConfig> out = new ArrayList<>();
        for (ConfigNode item : l.items()) {
            MapNode m = r.map(item);
            if (m == null) {
                continue;
            }
            r.allowOnly(m, "cluster", "socket", "writer_backend", "reader_backend", "max_lag", "weights");
            String cluster = r.string(m, "cluster", true);
            String socket = r.string(m, "socket", true);
            String writer = r.string(m, "writer_backend", true);
            String reader = r.string(m, "reader_backend", false);
            Duration maxLag = r.duration(m, "max_lag", Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofHours(1));
            Map<InstanceKey, Integer> weights = new LinkedHashMap<>();
            ConfigNode w = m.get("weights");
            if (w != null) {
                MapNode wm = r.map(w);
                if (wm != null) {
                    for (String addr : wm.entries().keySet()) {
                        try {
                            weights.put(InstanceKey.parse(addr), r.integer(wm, addr, 100, 0, 256, true));
                        } catch (IllegalArgumentException e) {
                            r.error(wm.keyLocations().get(addr), ConfigNode.child(wm.path(), addr), e.getMessage());
                        }
                    }
                }
            }
            if (cluster != null && clusters.stream().noneMatch(c -> c.name().equals(cluster))) {
                r.error(m.get("cluster"), "no cluster '" + cluster + "'");
                continue;
            }
            if (cluster != null && out.stream().anyMatch(h -> h.cluster().equals(cluster))) {
                r.error(m.get("cluster"), "cluster '" + cluster + "' already has an haproxy entry");
                continue;
            }
            if (cluster != null && socket != null && writer != null) {
                out.add(new HaproxyConfig(cluster, socket, writer, reader, maxLag, weights));
            }
        }
        return out;
    }
}
