package dev.warden.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One manager per SQLite store: an exclusive lock on {@code <store>.lock}, held while the store is open. The
 * operating system releases it when the process dies, even by kill -9, so a crashed manager never blocks its
 * successor. The file says which process holds it.
 */
final class StoreLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private StoreLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static StoreLock acquire(Path store) {
        Path file = store.resolveSibling(store.getFileName() + ".lock");
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock l = ch.tryLock();
            if (l == null) {
                String holder = Files.readString(file, StandardCharsets.UTF_8).trim();
                ch.close();
                throw new StoreException("the store " + store + " is in use by another Warden process ("
                        + (holder.isEmpty() ? "see " + file : holder) + "): one manager per store. Stop that one, "
                        + "or give this one its own store.path");
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)),
                    0);
            ch.force(false);
            return new StoreLock(ch, l);
        } catch (IOException e) {
            try {
                if (ch != null) {
                    ch.close();
                }
            } catch (IOException ignored) {
                // already failing
            }
            throw new StoreException("cannot lock the store " + store + " (" + file + "): " + e.getMessage()
                    + "; check that its directory exists and is writable", e);
        } catch (java.nio.channels.OverlappingFileLockException e) {
            throw new StoreException("the store " + store + " is already open in this process", e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // the lock goes with the process anyway
        }
    }
}
