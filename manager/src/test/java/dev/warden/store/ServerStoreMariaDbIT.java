package dev.warden.store;

import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxFlavor;
import dev.warden.testing.SandboxExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

class ServerStoreMariaDbIT extends ServerStoreScenarios {
    @RegisterExtension
    static final SandboxExtension SANDBOX = SandboxExtension.of(SandboxFlavor.MARIADB, 0);

    @Override
    Sandbox sandbox() {
        return SANDBOX.sandbox();
    }
}
