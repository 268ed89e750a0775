package dev.warden.probe;

import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxFlavor;
import dev.warden.testing.SandboxExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A fresh sandbox for every test: the extension is on an instance field. */
class ServerFaultsMysql9IT extends ServerFaultScenarios {
    @RegisterExtension
    final SandboxExtension sandbox = SandboxExtension.of(SandboxFlavor.MYSQL9);

    @Override
    Sandbox sandbox() {
        return sandbox.sandbox();
    }
}
