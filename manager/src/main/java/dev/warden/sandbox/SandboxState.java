package dev.warden.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * What a sandbox directory holds, in {@code sandbox.json}: written before and after each server starts, so
 * {@code warden sandbox down} can stop every server by PID even after the JVM that started them crashed.
 */
public record SandboxState(int format, String flavor, String version, int basePort, long ownerPid, String createdAt,
                           List<Instance> instances) {

    public static final String FILE = "sandbox.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public SandboxState {
        instances = List.copyOf(instances);
    }

    /** One server; pid is 0 until it was started. */
    public record Instance(String name, int port, long serverId, long pid, String dir, boolean initialPrimary) {
        SandboxInstance toInstance() {
            return new SandboxInstance(name, port, serverId, pid, Path.of(dir), initialPrimary);
        }
    }

    public SandboxState withInstance(Instance i) {
        List<Instance> next = new ArrayList<>();
        boolean replaced = false;
        for (Instance existing : instances) {
            if (existing.name().equals(i.name())) {
                next.add(i);
                replaced = true;
            } else {
                next.add(existing);
            }
        }
        if (!replaced) {
            next.add(i);
        }
        return new SandboxState(format, flavor, version, basePort, ownerPid, createdAt, next);
    }

    public static SandboxState read(Path dir) {
        Path f = dir.resolve(FILE);
        try {
            return JSON.readValue(f.toFile(), SandboxState.class);
        } catch (IOException e) {
            throw new SandboxException(f + " cannot be read (" + e.getMessage() + "); if no servers of it run any "
                    + "more, delete the directory " + dir, e);
        }
    }

    public static boolean exists(Path dir) {
        return Files.isRegularFile(dir.resolve(FILE));
    }

    public void write(Path dir) {
        Path f = dir.resolve(FILE);
        Path tmp = dir.resolve(FILE + ".tmp");
        try {
            JSON.writeValue(tmp.toFile(), this);
            Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new SandboxException("cannot write " + f + ": " + e.getMessage(), e);
        }
    }
}
