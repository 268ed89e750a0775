package dev.warden.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InstanceKeyTest {

    @Test
    void parsesAndPrintsHostPort() {
        assertThat(InstanceKey.parse("DB1.Example.com:3306")).isEqualTo(new InstanceKey("db1.example.com", 3306));
        assertThat(InstanceKey.parse("[::1]:3307").toString()).isEqualTo("[::1]:3307");
        assertThat(InstanceKey.parse("127.0.0.1:23306").toString()).isEqualTo("127.0.0.1:23306");
    }

    @Test
    void rejectsBadAddresses() {
        assertThatThrownBy(() -> InstanceKey.parse("db1")).hasMessageContaining("not host:port");
        assertThatThrownBy(() -> InstanceKey.parse("db1:x")).hasMessageContaining("numeric port");
        assertThatThrownBy(() -> InstanceKey.parse("db1:70000")).hasMessageContaining("outside 1..65535");
        assertThatThrownBy(() -> new InstanceKey(" ", 3306)).hasMessageContaining("empty");
    }
}
