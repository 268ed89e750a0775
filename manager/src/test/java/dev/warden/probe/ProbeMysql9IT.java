package dev.warden.probe;

import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxFlavor;
import dev.warden.testing.SandboxExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

class ProbeMysql9IT extends ProbeScenarios {
    @RegisterExtension
    static final SandboxExtension SANDBOX = SandboxExtension.of(SandboxFlavor.MYSQL9);

    @Override
    Sandbox sandbox() {
        return SANDBOX.sandbox();
    }
}
