package dev.warden.sandbox;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/** Serialises work on the shared cache directory across threads and processes (a file lock). */
final class CacheLock {

    private static final ReentrantLock IN_PROCESS = new ReentrantLock();

    private CacheLock() {
    }

    static <T> T withLock(Path cacheDir, Supplier<T> work) {
        IN_PROCESS.lock();
        try {
            Files.createDirectories(cacheDir);
            try (FileChannel ch = FileChannel.open(cacheDir.resolve(".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock ignored = ch.lock()) {
                return work.get();
            }
        } catch (IOException e) {
            throw new SandboxException("cannot lock the cache directory " + cacheDir + ": " + e.getMessage(), e);
        } finally {
            IN_PROCESS.unlock();
        }
    }
}
