package dev.warden.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --dir}: where a sandbox lives. */
final class SandboxDirOption {

    @Option(names = "--dir", paramLabel = "D", defaultValue = "warden-sandbox",
            description = "Sandbox directory (default: ${DEFAULT-VALUE}).")
    Path dir;
}
