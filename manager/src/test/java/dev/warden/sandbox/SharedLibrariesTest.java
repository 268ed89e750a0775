package dev.warden.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SharedLibrariesTest {

    @Test
    void namesTheDebianPackageOfAMissingLibrary() {
        String ldd = """
                \tlinux-vdso.so.1 (0x00007ffd)
                \tlibaio.so.1 => not found
                \tlibnuma.so.1 => not found
                \tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f)
                """;
        assertThat(SharedLibraries.problem("MySQL 8.0.15 (mysqld)", ldd)).isEqualTo(
                "MySQL 8.0.15 (mysqld) needs libaio.so.1, libnuma.so.1, which are not installed: install the Debian "
                        + "packages libaio1 libnuma1 (apt-get install libaio1 libnuma1)");
        assertThat(SharedLibraries.problem("x", "\tlibc.so.6 => /lib/libc.so.6\n")).isNull();
    }
}
