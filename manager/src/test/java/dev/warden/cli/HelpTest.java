package dev.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.sandbox.SandboxFlavor;
import dev.warden.testing.Cli;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** What --help says matches what the commands accept. */
class HelpTest {

    @Test
    void sandboxUpListsEveryFlavorItAccepts() {
        Cli.Run r = Cli.run("sandbox", "up", "--help");
        String help = r.out().replaceAll("\\s+", " ");
        assertThat(r.exitCode()).isZero();
        Arrays.stream(SandboxFlavor.values()).forEach(f -> assertThat(help).contains(f.cliName() + " ("));
    }
}
