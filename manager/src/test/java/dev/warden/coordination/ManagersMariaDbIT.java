package dev.warden.coordination;

import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxFlavor;
import dev.warden.testing.SandboxExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A fresh cluster for every scenario; one server for the shared stores of the whole class. */
class ManagersMariaDbIT extends ManagersScenarios {
    @RegisterExtension
    static final SandboxExtension STORE = SandboxExtension.of(SandboxFlavor.MARIADB, 0);

    @RegisterExtension
    final SandboxExtension sandbox = SandboxExtension.of(SandboxFlavor.MARIADB, 2);

    @Override
    Sandbox sandbox() {
        return sandbox.sandbox();
    }

    @Override
    Sandbox storeServer() {
        return STORE.sandbox();
    }

    @Override
    java.util.Set<String> killedLeaderBoundaries() {
        return java.util.Set.of("ran:promote", "after:promote");
    }

    @Override
    boolean coordinationScenarios() {
        return false;
    }
}
