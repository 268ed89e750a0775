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
    private final String user;
    private final dev.warden.config.Secret password;
    private volatile String token;

    public EtcdKvStore(List<URI> endpoints, KvLayout layout, Duration timeout) {
        this(endpoints, layout, timeout, null, null);
    }

    /** @param user with {@code password}: etcd's authentication (a token asked for, and again when it expires) */
    public EtcdKvStore(List<URI> endpoints, KvLayout layout, Duration timeout, String user,
                       dev.warden.config.Secret password) {
        this.user = user;
        this.password = password;
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
        if (user != null && token == null) {
            token = authenticate();
        }
        try {
            return send(path, body, token);
        } catch (AuthRefused e) {
            if (user == null) {
                throw new IOException(name() + ": etcd asks for authentication (" + e.getMessage() + "); set "
                        + "kv.etcd.user and kv.etcd.password", e);
            }
            // The token expired (etcd's simple tokens last 5 minutes by default): ask for another one, once.
            token = authenticate();
            return send(path, body, token);
        }
    }

    private String authenticate() throws IOException {
        ObjectNode req = JSON.createObjectNode();
        req.put("name", user);
        req.put("password", password.reveal());
        try {
            String t = send("/v3/auth/authenticate", req, null).path("token").asText("");
            if (t.isEmpty()) {
                throw new IOException(name() + ": etcd gave no token to user " + user);
            }
            return t;
        } catch (AuthRefused e) {
            throw new IOException(name() + ": etcd refused user " + user + " (" + e.getMessage() + "); check "
                    + "kv.etcd.user and kv.etcd.password", e);
        }
    }

    /** An answer that says the request lacks valid credentials (no token, an expired one, a wrong password). */
    private static final class AuthRefused extends IOException {
        AuthRefused(String message) {
            super(message);
        }
    }

    private JsonNode send(String path, JsonNode body, String withToken) throws IOException {
        List<String> failures = new ArrayList<>();
        for (URI e : endpoints) {
            HttpRequest.Builder b = HttpRequest.newBuilder(e.resolve(path)).timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            if (withToken != null) {
                b.header("Authorization", withToken);
            }
            HttpRequest req = b.build();
            try {
                HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return JSON.readTree(r.body());
                }
                String text = oneLine(r.body());
                if (r.statusCode() == 401 || text.contains("invalid auth token") || text.contains("user name is empty")
                        || text.contains("authentication failed") || text.contains("permission denied")) {
                    throw new AuthRefused(text);
                }
                failures.add(e + " answered " + r.statusCode() + ": " + text);
            } catch (AuthRefused refused) {
                throw refused;
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
