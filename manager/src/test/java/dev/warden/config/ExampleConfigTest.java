package dev.warden.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The release archive's etc/warden.example.yaml loads as it is, with its secrets from the environment. */
class ExampleConfigTest {

    static final Path EXAMPLE = Path.of("..", "packaging", "warden.example.yaml");

    @Test
    void theExampleLoadsWithoutACorrectionAndKeepsItsStoreWhereTheSystemdUnitLetsItWrite() {
        ConfigLoader.Loaded loaded = ConfigLoader.load(EXAMPLE, EnvSubstitution.from(Map.of(
                "WARDEN_PASSWORD", "w-secret", "REPL_PASSWORD", "r-secret")));
        assertThat(loaded.warnings()).isEmpty();
        WardenConfig c = loaded.config();
        assertThat(c.clusters()).singleElement().satisfies(k -> {
            assertThat(k.name()).isEqualTo("main");
            assertThat(k.servers()).hasSize(3);
        });
        assertThat(c.store().sqlite().toString()).isEqualTo("/var/lib/warden/warden.db");
        assertThat(c.clusters().get(0).credentials().password().reveal()).isEqualTo("w-secret");
    }

    @Test
    void withoutItsSecretsItSaysWhichVariableIsMissing() {
        assertThatThrownBy(() -> ConfigLoader.load(EXAMPLE, EnvSubstitution.from(Map.of())))
                .hasMessageContaining("WARDEN_PASSWORD");
    }
}
