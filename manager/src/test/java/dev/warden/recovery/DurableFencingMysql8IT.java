package dev.warden.recovery;

import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxFlavor;
import dev.warden.testing.SandboxExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A fresh cluster for every scenario; one server for the MySQL stores of the whole class. */
class DurableFencingMysql8IT extends DurableFencingScenarios {
    @RegisterExtension
    static final SandboxExtension STORE = SandboxExtension.of(SandboxFlavor.MYSQL8, 0);

    @RegisterExtension
    final SandboxExtension sandbox = SandboxExtension.of(SandboxFlavor.MYSQL8, 2);

    @Override
    Sandbox sandbox() {
        return sandbox.sandbox();
    }

    @Override
    Sandbox storeServer() {
        return STORE.sandbox();
    }
}
