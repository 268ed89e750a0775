package dev.warden.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class LbChecksTest {

    static LbChecks allow(String... networks) {
        return new LbChecks(java.util.Arrays.stream(networks).map(LbChecks.Network::parse).toList(),
                LbChecks.DEFAULT_MAX_LAG);
    }

    @Test
    void networksAndAddressesAreMatchedByPrefix() {
        LbChecks c = allow("10.0.0.0/8", "192.168.1.7", "::1");
        assertThat(c.allows("10.200.3.4")).isTrue();
        assertThat(c.allows("11.0.0.1")).isFalse();
        assertThat(c.allows("192.168.1.7")).isTrue();
        assertThat(c.allows("192.168.1.8")).isFalse();
        assertThat(c.allows("0:0:0:0:0:0:0:1")).isTrue();
        assertThat(c.allows("[::1]")).isTrue();
        assertThat(c.allows("localhost")).as("names are never resolved").isFalse();
        assertThat(new LbChecks(List.of(), LbChecks.DEFAULT_MAX_LAG).allows("203.0.113.9")).isTrue();
        assertThat(allow("0.0.0.0/0").allows("203.0.113.9")).isTrue();
        assertThat(allow("172.16.0.0/12").allows("172.31.255.255")).isTrue();
        assertThat(allow("172.16.0.0/12").allows("172.32.0.1")).isFalse();
    }

    @Test
    void badEntriesSayWhatIsWrong() {
        assertThatThrownBy(() -> LbChecks.Network.parse("lb.example.com")).hasMessageContaining("not an IP address")
                .hasMessageContaining("host names are not resolved");
        assertThatThrownBy(() -> LbChecks.Network.parse("10.0.0.0/33")).hasMessageContaining("prefix length must be 0..32");
        assertThatThrownBy(() -> LbChecks.Network.parse("10.0.0.0/x")).hasMessageContaining("prefix length");
    }
}
