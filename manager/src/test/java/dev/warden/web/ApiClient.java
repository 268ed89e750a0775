package dev.warden.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** A caller of the API over real HTTP: anonymous, a logged-in console session (cookie + CSRF), or a bearer token. */
final class ApiClient {

    static final ObjectMapper JSON = new ObjectMapper();

    record Response(int status, String body, HttpResponse<String> raw) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (HTTP " + status + "): " + body, e);
            }
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        @Override
        public String toString() {
            return "HTTP " + status + " " + body;
        }
    }

    private final String base;
    private final HttpClient http;
    private final String bearer;
    private String csrf;

    private ApiClient(String base, HttpClient http, String bearer) {
        this.base = base;
        this.http = http;
        this.bearer = bearer;
    }

    static ApiClient anonymous(String base) {
        return new ApiClient(base, HttpClient.newBuilder().cookieHandler(new CookieManager()).build(), null);
    }

    static ApiClient bearer(String base, String token) {
        return new ApiClient(base, HttpClient.newHttpClient(), token);
    }

    static ApiClient https(String base, javax.net.ssl.SSLContext ssl) {
        return new ApiClient(base, HttpClient.newBuilder().sslContext(ssl).cookieHandler(new CookieManager())
                .build(), null);
    }

    /** Logs in; the session cookie stays in this client, the CSRF token is sent with every change. */
    Response login(String user, String password) {
        Response r = post("/api/login", "{\"user\":\"" + user + "\",\"password\":\"" + password + "\"}");
        if (r.status() == 200) {
            csrf = r.json().path("csrf").asText();
        }
        return r;
    }

    ApiClient withoutCsrf() {
        ApiClient c = new ApiClient(base, http, bearer);
        c.csrf = null;
        return c;
    }

    Response get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), Map.of());
    }

    Response post(String path, String json) {
        return post(path, json, "application/json");
    }

    Response post(String path, String body, String contentType) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", contentType);
        if (csrf != null) {
            headers.put("X-CSRF-Token", csrf);
        }
        return send(HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.ofString(body)),
                headers);
    }

    private Response send(HttpRequest.Builder b, Map<String, String> headers) {
        b.timeout(Duration.ofSeconds(60));
        headers.forEach(b::header);
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body(), r);
        } catch (IOException e) {
            throw new AssertionError("cannot reach " + base + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
