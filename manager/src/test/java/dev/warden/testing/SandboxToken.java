package dev.warden.testing;

import dev.warden.sandbox.SandboxConfigWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The API token a sandbox writes for the warden commands: tests call the daemon's API with it. */
public final class SandboxToken {

    private SandboxToken() {
    }

    public static String of(Path sandboxDir) {
        try {
            return Files.readString(sandboxDir.resolve(SandboxConfigWriter.TOKEN_FILE)).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** "Bearer wdn_...". */
    public static String header(Path sandboxDir) {
        return "Bearer " + of(sandboxDir);
    }
}
