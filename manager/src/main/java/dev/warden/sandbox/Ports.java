package dev.warden.sandbox;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/** Checks and picks free TCP ports on 127.0.0.1. */
public final class Ports {

    /** Tests pick port blocks in this range; never the default 3306. */
    public static final int TEST_RANGE_START = 24000;
    public static final int TEST_RANGE_END = 31000;

    private Ports() {
    }

    /**
     * Whether a server could listen on {@code port} now. Connections that ended lately and linger in TIME_WAIT do
     * not make it busy (the servers and the console bind with SO_REUSEADDR, as this check does): a sandbox or demo
     * started again a minute after the last one stopped gets its ports.
     */
    public static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The first busy port of {@code count} consecutive ports from {@code base}, or -1 when all are free. */
    public static int firstBusy(int base, int count) {
        for (int p = base; p < base + count; p++) {
            if (!isFree(p)) {
                return p;
            }
        }
        return -1;
    }

    /**
     * Ports this process handed out recently, with when: a port picked but not bound yet (a daemon's HTTP port
     * chosen before the servers start) must not be handed out again for another block.
     */
    private static final java.util.Map<Integer, Long> HANDED_OUT = new java.util.concurrent.ConcurrentHashMap<>();
    private static final long HELD_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(10);

    /** A random block of {@code count} free consecutive ports within the test range, none handed out lately. */
    public static synchronized int freeBlock(int count) {
        long now = System.nanoTime();
        HANDED_OUT.values().removeIf(at -> now - at > HELD_NANOS);
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(TEST_RANGE_START, TEST_RANGE_END - count);
            base -= base % 10;
            if (!handedOut(base, count) && firstBusy(base, count) < 0) {
                for (int p = base; p < base + count; p++) {
                    HANDED_OUT.put(p, now);
                }
                return base;
            }
        }
        throw new SandboxException("no " + count + " free consecutive ports between " + TEST_RANGE_START + " and "
                + TEST_RANGE_END + " on 127.0.0.1");
    }

    private static boolean handedOut(int base, int count) {
        for (int p = base; p < base + count; p++) {
            if (HANDED_OUT.containsKey(p)) {
                return true;
            }
        }
        return false;
    }
}
