package dev.warden.config;

import java.nio.file.Path;

/** HTTPS for the console and API: a PKCS12 (or JKS) keystore with the server's key and certificate. */
public record TlsSettings(Path keystore, Secret password) {
}
