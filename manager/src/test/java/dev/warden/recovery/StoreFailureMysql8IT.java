package dev.warden.recovery;

import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxFlavor;
import dev.warden.testing.SandboxExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

class StoreFailureMysql8IT extends StoreFailureScenarios {
    @RegisterExtension
    final SandboxExtension sandbox = SandboxExtension.of(SandboxFlavor.MYSQL8);

    @Override
    Sandbox sandbox() {
        return sandbox.sandbox();
    }
}
