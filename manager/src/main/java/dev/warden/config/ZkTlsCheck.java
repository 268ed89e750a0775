package dev.warden.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Collections;

/**
 * Opens a ZooKeeper TLS store the way it will be used, when the configuration is read: a wrong password or a file
 * without the expected certificate (or key) is said then, with the file's name, rather than as a failed handshake
 * once the manager runs.
 */
final class ZkTlsCheck {

    private ZkTlsCheck() {
    }

    /** What is wrong with the store; null when it holds what it must (a certificate; a key too for a key store). */
    static String problem(Path store, Secret password, boolean needsKey) {
        String type = ZkTls.type(store);
        String what = needsKey ? "key_store" : "trust_store";
        try {
            if ("PEM".equals(type)) {
                String text = Files.readString(store);
                if (!text.contains("-----BEGIN CERTIFICATE-----")) {
                    return what + " " + store + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)";
                }
                if (needsKey && !text.matches("(?s).*-----BEGIN (RSA |EC |ENCRYPTED )?PRIVATE KEY-----.*")) {
                    return what + " " + store + " holds no private key: put this manager's key and certificate "
                            + "in one PEM file";
                }
                return null;
            }
            KeyStore ks = KeyStore.getInstance(type);
            try (InputStream in = Files.newInputStream(store)) {
                ks.load(in, password.reveal().toCharArray());
            }
            boolean cert = false;
            boolean key = false;
            for (String alias : Collections.list(ks.aliases())) {
                cert |= ks.isCertificateEntry(alias) || ks.getCertificate(alias) != null;
                key |= ks.isKeyEntry(alias);
            }
            if (!cert) {
                return what + " " + store + " holds no certificate";
            }
            if (needsKey && !key) {
                return what + " " + store + " holds no private key (this manager's certificate and key belong there)";
            }
            return null;
        } catch (IOException e) {
            boolean badPassword = e.getCause() instanceof java.security.UnrecoverableKeyException
                    || String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("password");
            return what + " " + store + " cannot be opened as " + type + (badPassword ? " with " + what
                    + "_password: the password is wrong" : ": " + e.getMessage());
        } catch (GeneralSecurityException e) {
            return what + " " + store + " cannot be opened as " + type + ": " + e.getMessage();
        }
    }
}
