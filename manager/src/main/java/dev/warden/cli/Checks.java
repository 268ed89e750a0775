package dev.warden.cli;

import dev.warden.config.ClusterConfig;
import dev.warden.config.WardenConfig;
import java.nio.file.Path;

/** Argument checks shared by commands: fail before anything is sent anywhere. */
final class Checks {

    private Checks() {
    }

    static ClusterConfig requireCluster(WardenConfig cfg, String name, Path file) {
        return cfg.cluster(name).orElseThrow(() -> new IllegalArgumentException("no cluster '" + name + "' in "
                + file + "; clusters there: " + String.join(", ", cfg.clusters().stream().map(ClusterConfig::name)
                .toList())));
    }
}
