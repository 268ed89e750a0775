package dev.warden.kv;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warden.model.InstanceKey;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The primary in etcd, through its v3 API's JSON gateway ({@code /v3/kv/range}, {@code /v3/kv/txn}): every key in one
 * transaction that compares the epoch key's revision with the one read. Endpoints are tried in order.
 */
public final class EtcdKvStore implements KvStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<URI> endpoints;
    private final KvLayout layout;
    private final Duration timeout;
    private final HttpClient http;

    public EtcdKvStore(List<URI> endpoints, KvLayout layout, Duration timeout) {
        this.endpoints = List.copyOf(endpoints);
        this.layout = layout;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public String name() {
        return "etcd " + String.join(",", endpoints.stream().map(URI::toString).toList());
    }

    @Override
    public Reading read(String cluster) throws IOException {
        return new Reading(value(get(layout.primaryKey(cluster))), KvLayout.epoch(value(get(layout.epochKey(cluster)))),
                value(get(layout.primaryKey(cluster) + "/hostname")), value(get(layout.primaryKey(cluster) + "/port")));
    }

    @Override
    public void publish(String cluster, InstanceKey primary, long epoch) throws IOException {
        write(cluster, primary, epoch, false);
    }

    @Override
    public void publishOverridingEpoch(String cluster, InstanceKey primary) throws IOException {
        write(cluster, primary, 0, true);
    }

    private void write(String cluster, InstanceKey primary, long mine, boolean override) throws IOException {
        String epochKey = layout.epochKey(cluster);
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            JsonNode held = get(epochKey);
            long stored = KvLayout.epoch(value(held));
            if (!override && stored > mine) {
                throw new StaleEpoch(name() + " holds epoch " + stored + " for " + layout.primaryKey(cluster)
                        + ", newer than this manager's " + mine + ": a newer leader published; not overwritten");
            }
            ObjectNode txn = JSON.createObjectNode();
            ObjectNode cmp = txn.putArray("compare").addObject();
            cmp.put("key", b64(epochKey));
            cmp.put("result", "EQUAL");
            if (held == null) {
                cmp.put("target", "CREATE");
                cmp.put("create_revision", "0");
            } else {
                cmp.put("target", "MOD");
                cmp.put("mod_revision", held.path("mod_revision").asText("0"));
            }
            ArrayNode success = txn.putArray("success");
            for (Map.Entry<String, String> kv : layout.values(cluster, primary, Math.max(mine, stored)).entrySet()) {
                ObjectNode put = success.addObject().putObject("request_put");
                put.put("key", b64(kv.getKey()));
                put.put("value", b64(kv.getValue()));
            }
            if (post("/v3/kv/txn", txn).path("succeeded").asBoolean(false)) {
                return;
            }
            // Another writer between the read and the write: read again.
        }
        throw new IOException(name() + ": other writers kept changing " + layout.primaryKey(cluster) + " ("
                + ATTEMPTS + " attempts); not written");
    }

    /** The key's entry ({@code value}, {@code mod_revision}), or null when it does not exist. */
    private JsonNode get(String key) throws IOException {
        ObjectNode req = JSON.createObjectNode();
        req.put("key", b64(key));
        JsonNode kvs = post("/v3/kv/range", req).path("kvs");
        return kvs.isArray() && kvs.size() > 0 ? kvs.get(0) : null;
    }

    private static String value(JsonNode entry) {
        if (entry == null) {
            return null;
        }
        String v = entry.path("value").asText("");
        return new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8);
    }

    private JsonNode post(String path, JsonNode body) throws IOException {
        List<String> failures = new ArrayList<>();
        for (URI e : endpoints) {
            HttpRequest req = HttpRequest.newBuilder(e.resolve(path)).timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
            try {
                HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return JSON.readTree(r.body());
                }
                failures.add(e + " answered " + r.statusCode() + ": " + oneLine(r.body()));
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new IOException(name() + ": interrupted", ie);
            } catch (IOException ex) {
                failures.add(e + ": " + (ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage()));
            }
        }
        throw new IOException("etcd: no endpoint answered (" + String.join("; ", failures) + ")");
    }

    private static String oneLine(String s) {
        String t = s == null ? "" : s.replaceAll("\\s+", " ").trim();
        return t.length() > 200 ? t.substring(0, 200) + "..." : t;
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        // HttpClient holds no connection that outlives a request here
    }
}
