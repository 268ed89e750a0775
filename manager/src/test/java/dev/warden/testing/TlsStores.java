package dev.warden.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Key pairs and certificates for TLS tests, made with the JDK's keytool: a self-signed certificate for
 * 127.0.0.1 and localhost (ZooKeeper's hostname check may use the name 127.0.0.1 resolves back to) in a PKCS12
 * store, and the same certificate alone as PEM (to be trusted by the other side).
 */
public final class TlsStores {

    public static final String PASSWORD = "store-pw";

    /** A PKCS12 key store and its certificate as PEM. */
    public record Pair(Path keyStore, Path certificate) {
    }

    private TlsStores() {
    }

    public static Pair make(Path dir, String name) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path ks = dir.resolve(name + ".p12");
        Path pem = dir.resolve(name + ".pem");
        keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "3", "-keystore", ks.toString(), "-storetype", "PKCS12",
                "-storepass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", name, "-keystore", ks.toString(), "-storepass", PASSWORD, "-file",
                pem.toString());
        return new Pair(ks, pem);
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }
}
