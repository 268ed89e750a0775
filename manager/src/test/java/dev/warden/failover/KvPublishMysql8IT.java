package dev.warden.failover;

import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxFlavor;
import dev.warden.testing.SandboxExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

class KvPublishMysql8IT extends KvPublishScenarios {
    @RegisterExtension
    final SandboxExtension sandbox = SandboxExtension.of(SandboxFlavor.MYSQL8, 3);

    @Override
    Sandbox sandbox() {
        return sandbox.sandbox();
    }
}
