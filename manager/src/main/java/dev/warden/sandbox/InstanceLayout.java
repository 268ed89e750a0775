package dev.warden.sandbox;

import java.nio.file.Path;

/** Where one instance's files go, and its identity. */
record InstanceLayout(String name, Path dir, int port, long serverId, boolean primary, Path socket) {

    Path dataDir() {
        return dir.resolve("data");
    }

    Path pidFile() {
        return dir.resolve("mysqld.pid");
    }

    Path errorLog() {
        return dir.resolve("error.log");
    }

    Path configFile() {
        return dir.resolve("my.cnf");
    }

    Path stdoutLog() {
        return dir.resolve("stdout.log");
    }
}
