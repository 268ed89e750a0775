package dev.warden.probe;

import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxFlavor;
import dev.warden.testing.SandboxExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

class ReplicationFaultsMariaDb11IT extends ReplicationFaultScenarios {
    @RegisterExtension
    static final SandboxExtension SANDBOX = SandboxExtension.of(SandboxFlavor.MARIADB11);

    @Override
    Sandbox sandbox() {
        return SANDBOX.sandbox();
    }
}
