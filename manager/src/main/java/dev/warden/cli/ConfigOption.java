package dev.warden.cli;

import dev.warden.config.ConfigLoader;
import dev.warden.config.ConfigProblem;
import dev.warden.config.WardenConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code -c FILE}: loads and validates the configuration, printing corrections as warnings. */
final class ConfigOption {

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
            description = "The configuration file (warden.yaml).")
    Path file;

    WardenConfig load(PrintWriter err) {
        ConfigLoader.Loaded loaded = ConfigLoader.load(file);
        for (ConfigProblem w : loaded.warnings()) {
            err.println("warning: " + w);
        }
        err.flush();
        return loaded.config();
    }
}
