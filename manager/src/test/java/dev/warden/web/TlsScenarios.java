package dev.warden.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.sandbox.Sandbox;
import dev.warden.testing.Cli;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/** The console and API over HTTPS from a keystore in the configuration; the session cookie is Secure there. */
abstract class TlsScenarios {

    static final String PASSWORD = "keystore-pw-123";

    abstract Sandbox sandbox();

    /** A self-signed certificate for 127.0.0.1 and localhost, made with the JDK's keytool. */
    static Path keystore(Path dir) throws Exception {
        Path ks = dir.resolve("tls-" + System.nanoTime() + ".p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "warden", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
                "-keystore", ks.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD).redirectErrorStream(true)
                .start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
        return ks;
    }

    static SSLContext trusting(Path ks) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ks)) {
            store.load(in, PASSWORD.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    @Test
    void theConsoleAndApiSpeakHttpsOnly_andTheCommandsFollow() throws Exception {
        Path ks = keystore(sandbox().spec().dir());
        try (ConsoleHarness h = new ConsoleHarness(sandbox(), "\n  tls:\n    keystore: " + ks.getFileName()
                + "\n    password: " + PASSWORD)) {
            assertThat(h.base()).startsWith("https://");
            ApiClient c = ApiClient.https(h.base(), trusting(ks));
            ApiClient.Response login = c.login(ConsoleHarness.OPERATOR, ConsoleHarness.OPERATOR_PASSWORD);
            assertThat(login.status()).isEqualTo(200);
            assertThat(login.header("Set-Cookie")).contains("HttpOnly").contains("SameSite=Strict")
                    .contains("Secure");
            assertThat(c.get("/api/clusters/sandbox").status()).isEqualTo(200);

            // Plain HTTP on the same port gets no API.
            String plain = "http://127.0.0.1:" + h.web.port() + "/api/clusters";
            boolean refused;
            try {
                HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(plain))
                        .build(), HttpResponse.BodyHandlers.ofString());
                refused = r.statusCode() >= 400 && !r.body().contains("\"servers\"");
            } catch (java.io.IOException e) {
                refused = true;
            }
            assertThat(refused).as("plain HTTP must not reach the API").isTrue();

            // The warden commands trust the daemon's own keystore and use the sandbox's token.
            Cli.Run on = Cli.run("maintenance", "on", "-c", h.configFile.toString(), "--cluster", "sandbox",
                    "--for", "5m");
            assertThat(on.exitCode()).as(on.toString()).isZero();
            assertThat(h.monitor.cluster("sandbox").orElseThrow().controls().maintenance()).isTrue();
            assertThat(Cli.run("maintenance", "off", "-c", h.configFile.toString(), "--cluster", "sandbox")
                    .exitCode()).isZero();
            assertThat(h.store.audit().recent(5)).extracting(a -> a.who() + " " + a.action())
                    .contains("sandbox-cli maintenance on", "sandbox-cli maintenance off");
        }
    }

    @Test
    void aMissingKeystoreIsAConfigurationError() {
        assertThatThrownBy(() -> new ConsoleHarness(sandbox(), "\n  tls:\n    keystore: nowhere.p12\n    password: x"))
                .hasMessageContaining("nowhere.p12 does not exist or cannot be read");
    }
}
