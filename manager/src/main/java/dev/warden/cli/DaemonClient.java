package dev.warden.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.config.HttpSettings;
import dev.warden.config.WardenConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** Talks to a running daemon's API at the configuration's {@code http.listen}. */
final class DaemonClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    DaemonClient(WardenConfig config) {
        HttpSettings h = config.http();
        String host = h.host().equals("0.0.0.0") || h.host().equals("::") ? "127.0.0.1" : h.host();
        if (h.port() == 0) {
            throw new IllegalStateException(config.source() + " has http.listen port 0: the daemon's port cannot "
                    + "be known; set a fixed port");
        }
        this.base = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + h.port();
    }

    record Response(int status, String body) {
    }

    /** POSTs JSON and returns status and body, whatever the status. */
    Response call(String path, Map<String, Object> body) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(Duration.ofMinutes(5)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body());
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private IllegalStateException unreachable(IOException e) {
        String why = e instanceof java.net.ConnectException ? "connection refused"
                : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new IllegalStateException("cannot reach the daemon at " + base + " (" + why
                + "); is 'warden run -c FILE' running with this configuration?", e);
    }

    /** POSTs JSON; returns the response body on 2xx, throws with the daemon's {error, detail} otherwise. */
    String post(String path, Map<String, Object> body) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                String detail = r.body();
                try {
                    var n = JSON.readTree(r.body());
                    detail = n.path("error").asText() + ": " + n.path("detail").asText();
                } catch (IOException e) {
                    // not JSON: keep the raw body
                }
                throw new IllegalStateException("the daemon at " + base + " answered HTTP " + r.statusCode() + ": "
                        + detail);
            }
            return r.body();
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
