package dev.warden.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvSubstitutionTest {

    @Test
    void substitutesVariablesDefaultsAndEscapes() throws Exception {
        EnvSubstitution env = EnvSubstitution.from(Map.of("A", "x$y", "EMPTY", ""));
        assertThat(env.apply("${A}-${B:-dflt}-$${A}-${EMPTY:-no}")).isEqualTo("x$y-dflt-${A}-");
        assertThat(env.apply("plain")).isEqualTo("plain");
        assertThatThrownBy(() -> env.apply("${MISSING}")).hasMessageContaining("MISSING is not set");
    }

    @Test
    void durationsNeedAUnit() {
        assertThat(DurationText.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(DurationText.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(DurationText.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThatThrownBy(() -> DurationText.parse("500")).hasMessageContaining("with a unit");
        assertThat(DurationText.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(DurationText.format(Duration.ofSeconds(120))).isEqualTo("2m");
    }
}
