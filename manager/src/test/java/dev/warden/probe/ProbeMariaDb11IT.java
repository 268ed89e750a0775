package dev.warden.probe;

import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxFlavor;
import dev.warden.testing.SandboxExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

class ProbeMariaDb11IT extends ProbeScenarios {
    @RegisterExtension
    static final SandboxExtension SANDBOX = SandboxExtension.of(SandboxFlavor.MARIADB11);

    @Override
    Sandbox sandbox() {
        return SANDBOX.sandbox();
    }
}
