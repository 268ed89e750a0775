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
    private final HttpClient http;
    private final String token;

    DaemonClient(WardenConfig config) {
        HttpSettings h = config.http();
        String host = h.host().equals("0.0.0.0") || h.host().equals("::") ? "127.0.0.1" : h.host();
        if (h.port() == 0) {
            throw new IllegalStateException(config.source() + " has http.listen port 0: the daemon's port cannot "
                    + "be known; set a fixed port");
        }
        this.base = h.scheme() + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + h.port();
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3));
        if (h.tls() != null) {
            b.sslContext(DaemonTrust.trusting(h.tls()));
        }
        this.http = b.build();
        this.token = token(config);
    }

    /** WARDEN_TOKEN, else the file named by http.client_token_file, else none (access control off). */
    private static String token(WardenConfig config) {
        String env = System.getenv("WARDEN_TOKEN");
        if (env != null && !env.isBlank()) {
            return env.trim();
        }
        java.nio.file.Path f = config.http().clientTokenFile();
        if (f == null) {
            if (config.access().enabled()) {
                throw new IllegalStateException("the daemon requires a token: set WARDEN_TOKEN (make one with "
                        + "'warden token'), or http.client_token_file in " + config.source());
            }
            return null;
        }
        try {
            return java.nio.file.Files.readString(f).trim();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read http.client_token_file " + f + ": " + e.getMessage(), e);
        }
    }

    private HttpRequest.Builder request(String path, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
                .header("Content-Type", "application/json");
        return token == null ? b : b.header("Authorization", "Bearer " + token);
    }

    record Response(int status, String body) {
    }

    /** POSTs JSON and returns status and body, whatever the status. */
    Response call(String path, Map<String, Object> body) {
        return send(postRequest(path, Duration.ofMinutes(5), body));
    }

    private HttpRequest postRequest(String path, Duration timeout, Map<String, Object> body) {
        try {
            return request(path, timeout).POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                    .build();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write the request body: " + e.getMessage(), e);
        }
    }

    private Response send(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
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

    /** GETs and returns status and body, whatever the status. */
    Response get(String path) {
        return send(request(path, Duration.ofSeconds(10)).GET().build());
    }

    /** POSTs JSON; returns the response body on 2xx, throws with the daemon's {error, detail} otherwise. */
    String post(String path, Map<String, Object> body) {
        Response r = send(postRequest(path, Duration.ofSeconds(10), body));
        if (r.status() / 100 != 2) {
            String detail = r.body();
            try {
                var n = JSON.readTree(r.body());
                detail = n.path("error").asText() + ": " + n.path("detail").asText();
            } catch (IOException e) {
                // not JSON: keep the raw body
            }
            throw new IllegalStateException("the daemon at " + base + " answered HTTP " + r.status() + ": " + detail);
        }
        return r.body();
    }
}
