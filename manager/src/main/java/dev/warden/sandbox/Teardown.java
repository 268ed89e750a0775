package dev.warden.sandbox;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What a long-running command started (servers, an ensemble, manager JVMs), undone in reverse order when it ends
 * or when the JVM is asked to stop (Ctrl-C, SIGTERM), even while things are still starting: each piece's undo is
 * registered before the piece starts, and a stop waits for the piece being started, then undoes everything, so
 * nothing started is left running. Each undo must cope with its piece having started only in part, or not at all.
 */
public final class Teardown implements AutoCloseable {

    private record Piece(String what, Runnable undo) {
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Deque<Piece> pieces = new ArrayDeque<>();
    private final List<String> undone = new ArrayList<>();
    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread hook;
    private final java.util.function.Consumer<List<String>> onStopped;
    private boolean stopping;

    /**
     * @param name      the shutdown hook's thread name
     * @param onStopped told what was undone, once everything is (in the hook: the JVM may end right after)
     */
    public Teardown(String name, java.util.function.Consumer<List<String>> onStopped) {
        this.onStopped = onStopped;
        hook = new Thread(this::undoAll, name);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Registers {@code undo} (described as {@code what} once done), then runs {@code start}; refused once a stop
     * began. A start that fails keeps its undo: whatever part of it started is undone with the rest.
     */
    public <T> T start(String what, Runnable undo, Callable<T> start) throws Exception {
        lock.lock();
        try {
            if (stopping) {
                throw new SandboxException("stopped (Ctrl-C or SIGTERM) while starting: nothing more is started");
            }
            pieces.push(new Piece(what, undo));
            return start.call();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until a stop has undone everything. */
    public void awaitStopped() throws InterruptedException {
        done.await();
    }

    /** What was undone, in order ("the cluster's 3 servers stopped, ... removed"). */
    public List<String> undone() {
        synchronized (undone) {
            return List.copyOf(undone);
        }
    }

    private void undoAll() {
        lock.lock();
        try {
            stopping = true;
        } finally {
            lock.unlock();
        }
        for (Piece p; (p = poll()) != null; ) {
            try {
                p.undo().run();
                synchronized (undone) {
                    undone.add(p.what());
                }
            } catch (RuntimeException e) {
                synchronized (undone) {
                    undone.add(p.what() + " FAILED (" + e.getMessage() + ")");
                }
            }
        }
        try {
            onStopped.accept(undone());
        } finally {
            done.countDown();
        }
    }

    private Piece poll() {
        lock.lock();
        try {
            return pieces.poll();
        } finally {
            lock.unlock();
        }
    }

    /** Undoes everything now (the command ended by itself) and unregisters the hook. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs (or ran) anyway
            return;
        }
        undoAll();
    }

    /** Stops the sandbox in {@code dir} by its state file, if it has one (servers started by a partial start too). */
    public static void downIfThere(java.nio.file.Path dir) {
        if (SandboxState.exists(dir.toAbsolutePath().normalize())) {
            SandboxManager.down(dir, SandboxManager.StopMode.IMMEDIATE);
        }
    }
}
