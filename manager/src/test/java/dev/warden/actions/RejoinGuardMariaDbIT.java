package dev.warden.actions;

import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxFlavor;
import dev.warden.testing.SandboxExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

class RejoinGuardMariaDbIT extends RejoinGuardScenarios {
    @RegisterExtension
    static final SandboxExtension SANDBOX = SandboxExtension.of(SandboxFlavor.MARIADB, 2);

    @Override
    Sandbox sandbox() {
        return SANDBOX.sandbox();
    }
}
