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

    public static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
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

    /** A random block of {@code count} free consecutive ports within the test range. */
    public static int freeBlock(int count) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(TEST_RANGE_START, TEST_RANGE_END - count);
            base -= base % 10;
            if (firstBusy(base, count) < 0) {
                return base;
            }
        }
        throw new SandboxException("no " + count + " free consecutive ports between " + TEST_RANGE_START + " and "
                + TEST_RANGE_END + " on 127.0.0.1");
    }
}
