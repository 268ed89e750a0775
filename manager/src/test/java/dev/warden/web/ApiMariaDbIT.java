package dev.warden.web;

import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxFlavor;
import dev.warden.testing.SandboxExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

class ApiMariaDbIT extends ApiScenarios {
    @RegisterExtension
    static final SandboxExtension SANDBOX = SandboxExtension.of(SandboxFlavor.MARIADB);

    @Override
    Sandbox sandbox() {
        return SANDBOX.sandbox();
    }
}
