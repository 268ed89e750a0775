package dev.warden.testing;

import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxFlavor;
import dev.warden.sandbox.SandboxManager;
import dev.warden.sandbox.SandboxSpec;
import dev.warden.sandbox.SandboxState;
import dev.warden.sandbox.Ports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Real servers for a test, through the same sandbox code users run. Registered on a static field, one sandbox
 * serves the whole class; on an instance field, every test gets a fresh one. Cleanup is guaranteed: after the
 * class/test (also when it fails), by a JVM shutdown hook, and on the next run for sandboxes whose JVM died.
 * Skipped (not failed) when the flavor is not in {@code -Dwarden.test.flavors}.
 */
public final class SandboxExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback {

    private static final Path ROOT = Path.of(System.getProperty("warden.test.sandboxes", "target/sandboxes"))
            .toAbsolutePath();
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Set<Sandbox> OPEN = ConcurrentHashMap.newKeySet();
    private static volatile boolean reaped;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> OPEN.forEach(SandboxExtension::closeQuietly),
                "sandbox-cleanup"));
    }

    private final SandboxFlavor flavor;
    private final int replicas;
    private Sandbox sandbox;
    private boolean perClass;

    private SandboxExtension(SandboxFlavor flavor, int replicas) {
        this.flavor = flavor;
        this.replicas = replicas;
    }

    public static SandboxExtension of(SandboxFlavor flavor) {
        return new SandboxExtension(flavor, 2);
    }

    public static SandboxExtension of(SandboxFlavor flavor, int replicas) {
        return new SandboxExtension(flavor, replicas);
    }

    public Sandbox sandbox() {
        if (sandbox == null) {
            throw new IllegalStateException("the sandbox is not started");
        }
        return sandbox;
    }

    public SandboxFlavor flavor() {
        return flavor;
    }

    /** Flavors selected for this run: -Dwarden.test.flavors=mysql8,mariadb,mysql9,mariadb11 (default all four). */
    public static Set<SandboxFlavor> selectedFlavors() {
        String prop = System.getProperty("warden.test.flavors", "mysql8,mariadb,mysql9,mariadb11");
        return Arrays.stream(prop.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(SandboxFlavor::parse)
                .collect(Collectors.toSet());
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        perClass = true;
        start(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!perClass) {
            start(context);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!perClass) {
            stop();
        }
    }

    private void start(ExtensionContext context) {
        Assumptions.assumeTrue(selectedFlavors().contains(flavor),
                () -> flavor + " is not in -Dwarden.test.flavors=" + System.getProperty("warden.test.flavors"));
        reapOrphans();
        String name = context.getRequiredTestClass().getSimpleName() + "-" + flavor + "-" + COUNTER.incrementAndGet();
        Path dir = ROOT.resolve(name);
        RuntimeException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            SandboxSpec spec = new SandboxSpec(flavor, replicas, Ports.freeBlock(replicas + 1), dir,
                    SandboxSpec.defaultCacheDir(), Duration.ofMillis(500));
            try {
                sandbox = SandboxManager.up(spec, 0);
                OPEN.add(sandbox);
                return;
            } catch (RuntimeException e) {
                last = e; // most likely a port taken between the check and the bind: try another block
            }
        }
        throw last;
    }

    private void stop() {
        if (sandbox != null) {
            Sandbox s = sandbox;
            sandbox = null;
            OPEN.remove(s);
            s.close();
        }
    }

    /** Stops sandboxes left by test JVMs that died before cleaning up. */
    private static synchronized void reapOrphans() {
        if (reaped) {
            return;
        }
        reaped = true;
        if (!Files.isDirectory(ROOT)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(ROOT)) {
            dirs.filter(SandboxState::exists).forEach(d -> {
                SandboxState st = SandboxState.read(d);
                if (ProcessHandle.of(st.ownerPid()).map(ProcessHandle::isAlive).orElse(false)
                        && st.ownerPid() != ProcessHandle.current().pid()) {
                    return; // another live test JVM owns it
                }
                SandboxManager.down(d, SandboxManager.StopMode.IMMEDIATE);
            });
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + ROOT, e);
        }
    }

    private static void closeQuietly(Sandbox s) {
        try {
            s.close();
        } catch (RuntimeException ignored) {
            // best effort at JVM exit
        }
    }
}
