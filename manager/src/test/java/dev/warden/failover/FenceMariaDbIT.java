package dev.warden.failover;

import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxFlavor;
import dev.warden.testing.SandboxExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A fresh sandbox for every scenario: the extension is on an instance field. */
class FenceMariaDbIT extends FenceScenarios {
    @RegisterExtension
    final SandboxExtension sandbox = SandboxExtension.of(SandboxFlavor.MARIADB, 2);

    @Override
    Sandbox sandbox() {
        return sandbox.sandbox();
    }
}
