package dev.warden.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Initialised datadirs, one per flavor and version, made once (initialising is slow) and copied per instance.
 * Built in a temporary directory and moved into place, under the cache lock, so a crash never leaves a half
 * template behind.
 */
final class TemplateCache {

    /** Bump when initialisation options change, so old templates are not reused. */
    private static final String LAYOUT_VERSION = "v1";

    private TemplateCache() {
    }

    static Path template(ServerDistribution dist, Path cacheDir) {
        Path templates = cacheDir.resolve("templates");
        Path target = templates.resolve(dist.flavor().cliName() + "-" + dist.version() + "-" + LAYOUT_VERSION);
        if (Files.isDirectory(target)) {
            return target;
        }
        return CacheLock.withLock(cacheDir, () -> {
            if (Files.isDirectory(target)) {
                return target;
            }
            Path work = templates.resolve(target.getFileName() + ".tmp-" + ProcessHandle.current().pid());
            try {
                FileTrees.deleteRecursively(work);
                Files.createDirectories(work);
                Path data = work.resolve("data");
                dist.initialize(data, work);
                Files.move(data, target, StandardCopyOption.ATOMIC_MOVE);
                return target;
            } catch (IOException e) {
                throw new SandboxException("cannot build the " + dist.flavor() + " template datadir in " + templates
                        + ": " + e.getMessage(), e);
            } finally {
                FileTrees.deleteRecursively(work);
            }
        });
    }

    /** A private copy of the template for one instance. */
    static void copyInto(ServerDistribution dist, Path template, Path dataDir) {
        try {
            FileTrees.copy(template, dataDir);
            for (String f : dist.perCopyFiles()) {
                Files.deleteIfExists(dataDir.resolve(f));
            }
        } catch (IOException e) {
            throw new SandboxException("cannot copy the template datadir to " + dataDir + ": " + e.getMessage(), e);
        }
    }
}
