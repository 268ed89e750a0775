package dev.warden.recovery;

import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxFlavor;
import dev.warden.testing.SandboxExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

class StoreFailureMariaDbIT extends StoreFailureScenarios {
    @RegisterExtension
    final SandboxExtension sandbox = SandboxExtension.of(SandboxFlavor.MARIADB);

    @Override
    Sandbox sandbox() {
        return sandbox.sandbox();
    }
}
