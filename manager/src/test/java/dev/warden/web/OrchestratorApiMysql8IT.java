package dev.warden.web;

import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxFlavor;
import dev.warden.testing.SandboxExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

class OrchestratorApiMysql8IT extends OrchestratorApiScenarios {
    @RegisterExtension
    final SandboxExtension sandbox = SandboxExtension.of(SandboxFlavor.MYSQL8, 2);

    @Override
    Sandbox sandbox() {
        return sandbox.sandbox();
    }
}
