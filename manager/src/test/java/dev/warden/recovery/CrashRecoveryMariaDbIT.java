package dev.warden.recovery;

import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxFlavor;
import dev.warden.testing.SandboxExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A fresh sandbox per test (primary and 3 replicas, so re-points run in parallel): each test moves the primary. */
class CrashRecoveryMariaDbIT extends CrashRecoveryScenarios {
    @RegisterExtension
    final SandboxExtension sandbox = SandboxExtension.of(SandboxFlavor.MARIADB, 3);

    @Override
    Sandbox sandbox() {
        return sandbox.sandbox();
    }
}
