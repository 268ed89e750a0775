package dev.warden.config;

import java.nio.file.Path;

/**
 * TLS to ZooKeeper (its {@code secureClientPort}): whom to trust and, for servers that require client certificates
 * (ZooKeeper's default, {@code ssl.clientAuth=need}), this manager's own certificate and key. Each store is a PEM
 * file, a PKCS12 file ({@code .p12}/{@code .pfx}) or a JKS file, told apart by its name's extension.
 *
 * @param trustStore           the certificates to trust (a CA, or the servers' own)
 * @param trustStorePassword   for PKCS12 and JKS; null for PEM
 * @param keyStore             this manager's certificate and private key; null when the servers ask for none
 * @param keyStorePassword     for PKCS12 and JKS; null for PEM or without a key store
 * @param hostnameVerification whether a server's certificate must name the host in the connect string
 */
public record ZkTls(Path trustStore, Secret trustStorePassword, Path keyStore, Secret keyStorePassword,
                    boolean hostnameVerification) {

    /** The store type ZooKeeper reads a file as, from its extension; null when the extension says nothing. */
    public static String type(Path p) {
        String n = p.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (n.endsWith(".pem") || n.endsWith(".crt")) {
            return "PEM";
        }
        if (n.endsWith(".p12") || n.endsWith(".pfx")) {
            return "PKCS12";
        }
        if (n.endsWith(".jks")) {
            return "JKS";
        }
        return null;
    }
}
