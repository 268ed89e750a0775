package dev.warden.hooks;

import dev.warden.config.HookConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;

/**
 * One POST of a webhook: JSON body, signature, idempotency key; 2xx is success. The hook's timeout is a hard
 * deadline for the whole exchange, connect and response body included (a receiver that answers its headers and then
 * stalls is cut there, like one that never answers).
 */
final class HttpHook {

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .connectTimeout(java.time.Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();

    private HttpHook() {
    }

    /** One attempt: null when it succeeded, else why not. Throws HttpTimeoutException on timeout. */
    static String attempt(HookConfig h, HookPayload p) throws IOException, InterruptedException {
        byte[] body = p.json();
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(h.url())).timeout(h.timeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "warden")
                .header("X-Warden-Event", p.event().configName())
                .header("X-Warden-Idempotency-Key", p.idempotencyKey(h.name()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (h.secret() != null) {
            req.header(Signature.HEADER, Signature.sign(h.secret().reveal(), body));
        }
        java.util.concurrent.CompletableFuture<HttpResponse<String>> sent = CLIENT.sendAsync(req.build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> r;
        try {
            r = sent.get(h.timeout().toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            sent.cancel(true);
            throw new HttpTimeoutException("no complete answer within " + h.timeout().toMillis() + " ms");
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException(cause == null ? e.toString() : cause.toString(), cause);
        }
        if (r.statusCode() / 100 == 2) {
            return null;
        }
        String text = r.body() == null ? "" : r.body().strip();
        return "HTTP " + r.statusCode() + (text.isEmpty() ? "" : ": " + (text.length() > 200 ? text.substring(0, 200)
                + "..." : text));
    }

    static boolean isTimeout(Throwable t) {
        return t instanceof HttpTimeoutException;
    }
}
