package dev.warden.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads and validates a configuration file: every problem at once, with file, line and key. */
public final class ConfigLoader {

    private ConfigLoader() {
    }

    /** A usable configuration and the corrections made to it (each names the key and the value used). */
    public record Loaded(WardenConfig config, List<ConfigProblem> warnings) {
    }

    public static Loaded load(Path file) {
        return load(file, EnvSubstitution.fromSystem());
    }

    public static Loaded load(Path file, EnvSubstitution env) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file.toString(), List.of(new ConfigProblem(null, "",
                    "the file does not exist; pass the path of a warden.yaml (see README, 'Configuration')")));
        } catch (IOException e) {
            throw new ConfigException(file.toString(), List.of(new ConfigProblem(null, "",
                    "cannot be read: " + e.getMessage())));
        }
        return parse(file.toString(), text, env);
    }

    public static Loaded parse(String fileName, String text, EnvSubstitution env) {
        List<ConfigProblem> errors = new ArrayList<>();
        List<ConfigProblem> warnings = new ArrayList<>();
        ConfigNode root = new YamlTreeReader(fileName, errors).read(text);
        WardenConfig config = null;
        if (root != null) {
            config = new ConfigBinder(fileName, new NodeReader(env, errors, warnings)).bind(root);
        }
        if (!errors.isEmpty() || config == null) {
            throw new ConfigException(fileName, errors);
        }
        return new Loaded(config, List.copyOf(warnings));
    }
}
