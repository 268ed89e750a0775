package dev.warden.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ServerVersionTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "8.0.15                          | MySQL Community Server - GPL | MYSQL   | 8  | 0  | 15",
            "8.0.36-28                       | Percona Server (GPL)         | MYSQL   | 8  | 0  | 36",
            "9.7.4                           | (Debian)                     | MYSQL   | 9  | 7  | 4",
            "10.11.19-MariaDB-0+deb12u1-log  | Debian 12                    | MARIADB | 10 | 11 | 19",
            "5.5.5-10.11.6-MariaDB           | mariadb.org binary           | MARIADB | 10 | 11 | 6",
            "11.8.6-MariaDB-log              | Debian                       | MARIADB | 11 | 8  | 6",
    })
    void parsesVersions(String version, String comment, Flavor flavor, int major, int minor, int patch) {
        ServerVersion v = ServerVersion.parse(version, comment);
        assertThat(v.flavor()).isEqualTo(flavor);
        assertThat(v.major()).isEqualTo(major);
        assertThat(v.minor()).isEqualTo(minor);
        assertThat(v.patch()).isEqualTo(patch);
    }

    @Test
    void comparesByExactVersion() {
        ServerVersion v = ServerVersion.of(Flavor.MYSQL, 8, 0, 22);
        assertThat(v.atLeast(8, 0, 22)).isTrue();
        assertThat(v.atLeast(8, 0, 23)).isFalse();
        assertThat(v.atLeast(7, 9, 99)).isTrue();
        assertThat(v.atLeast(8, 1, 0)).isFalse();
        assertThat(v.toString()).isEqualTo("MySQL 8.0.22");
    }

    @Test
    void rejectsTextWithoutAVersion() {
        assertThatThrownBy(() -> ServerVersion.parse("banana", null)).hasMessageContaining("banana");
        assertThatThrownBy(() -> ServerVersion.parse(" ", null)).hasMessageContaining("empty");
    }
}
