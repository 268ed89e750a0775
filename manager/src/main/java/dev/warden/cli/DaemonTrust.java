package dev.warden.cli;

import dev.warden.config.TlsSettings;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** The commands on the daemon's host trust the certificate in the daemon's own keystore. */
final class DaemonTrust {

    private DaemonTrust() {
    }

    static SSLContext trusting(TlsSettings tls) {
        try (InputStream in = Files.newInputStream(tls.keystore())) {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(in, tls.password().reveal().toCharArray());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the keystore " + tls.keystore() + " (http.tls): "
                    + e.getMessage(), e);
        }
    }
}
