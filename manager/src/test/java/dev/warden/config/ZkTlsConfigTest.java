package dev.warden.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.testing.TlsStores;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code coordination.zookeeper.tls}: stores found, of a known format, opened with their passwords when read. */
class ZkTlsConfigTest {

    @TempDir
    static Path dir;
    static TlsStores.Pair pair;

    @BeforeAll
    static void stores() throws Exception {
        pair = TlsStores.make(dir, "site-a");
    }

    static String yaml(String tls) {
        return CoordinationConfigTest.BASE + CoordinationConfigTest.MYSQL_STORE + """
                manager:
                  name: site-a
                coordination:
                  zookeeper:
                    connect: zk1:2281,zk2:2281,zk3:2281
                    tls:
                %s
                  managers: [site-a, site-b, site-c]
                """.formatted(tls.indent(6).stripTrailing());
    }

    @Test
    void readsTrustAndKeyStores() {
        CoordinationSettings s = CoordinationConfigTest.parse(yaml("""
                trust_store: %s
                key_store: %s
                key_store_password: %s
                """.formatted(pair.certificate(), pair.keyStore(), TlsStores.PASSWORD))).config().coordination();
        assertThat(s.tls().trustStore()).isEqualTo(pair.certificate());
        assertThat(s.tls().trustStorePassword()).isNull();
        assertThat(s.tls().keyStore()).isEqualTo(pair.keyStore());
        assertThat(s.tls().keyStorePassword().reveal()).isEqualTo(TlsStores.PASSWORD);
        assertThat(s.tls().hostnameVerification()).isTrue();
        assertThat(ZkTls.type(s.tls().keyStore())).isEqualTo("PKCS12");
    }

    @Test
    void withoutTlsConnectionsArePlain() {
        assertThat(CoordinationConfigTest.parse(CoordinationConfigTest.BASE + CoordinationConfigTest.MYSQL_STORE
                + CoordinationConfigTest.coordination("[site-a, site-b, site-c]")).config().coordination().tls())
                .isNull();
    }

    @Test
    void aMissingStoreIsNamed() {
        assertThat(CoordinationConfigTest.problems(yaml("trust_store: " + dir.resolve("nope.pem"))))
                .anyMatch(p -> p.contains("nope.pem does not exist or cannot be read"));
    }

    @Test
    void aWrongPasswordIsSaidWhenTheConfigurationIsRead() {
        assertThat(CoordinationConfigTest.problems(yaml("""
                trust_store: %s
                key_store: %s
                key_store_password: not-it
                """.formatted(pair.certificate(), pair.keyStore()))))
                .anyMatch(p -> p.contains("site-a.p12 cannot be opened as PKCS12 with key_store_password: the "
                        + "password is wrong"));
    }

    @Test
    void aStoreOfUnknownFormatOrWithoutWhatItNeedsIsRefused() throws Exception {
        Path odd = Files.copy(pair.certificate(), dir.resolve("ca.txt"));
        assertThat(CoordinationConfigTest.problems(yaml("trust_store: " + odd)))
                .anyMatch(p -> p.contains("name the file for its format: .pem (or .crt), .p12 (or .pfx) or .jks"));
        assertThat(CoordinationConfigTest.problems(yaml("""
                trust_store: %s
                key_store: %s
                """.formatted(pair.certificate(), pair.certificate()))))
                .anyMatch(p -> p.contains("holds no private key"));
        assertThat(CoordinationConfigTest.problems(yaml("""
                trust_store: %s
                key_store: %s
                """.formatted(pair.certificate(), pair.keyStore()))))
                .anyMatch(p -> p.contains("key_store_password is required: site-a.p12 is a PKCS12 store"));
        Path empty = Files.writeString(dir.resolve("empty.pem"), "nothing here\n");
        assertThat(CoordinationConfigTest.problems(yaml("trust_store: " + empty)))
                .anyMatch(p -> p.contains("holds no PEM certificate"));
    }
}
