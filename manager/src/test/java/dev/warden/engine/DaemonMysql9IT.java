package dev.warden.engine;

import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxFlavor;
import dev.warden.testing.SandboxExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

class DaemonMysql9IT extends DaemonScenarios {
    @RegisterExtension
    final SandboxExtension sandbox = SandboxExtension.of(SandboxFlavor.MYSQL9);

    @Override
    Sandbox sandbox() {
        return sandbox.sandbox();
    }
}
