package dev.warden.web;

import dev.warden.config.HttpSettings;
import io.javalin.config.JettyConfig;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** HTTPS only, from the keystore in {@code http.tls}: the listen address gets a TLS connector and nothing else. */
final class Tls {

    private Tls() {
    }

    static void configure(JettyConfig jetty, HttpSettings http) {
        jetty.addConnector((server, httpConfig) -> {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStorePath(http.tls().keystore().toString());
            ssl.setKeyStorePassword(http.tls().password().reveal());
            ssl.setIncludeProtocols("TLSv1.2", "TLSv1.3");
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            // Clients reach the daemon by address as often as by name; the certificate is checked by them.
            secure.setSniHostCheck(false);
            httpConfig.addCustomizer(secure);
            ServerConnector c = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
                    new HttpConnectionFactory(httpConfig));
            c.setHost(http.host());
            c.setPort(http.port());
            return c;
        });
    }
}
