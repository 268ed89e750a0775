package dev.warden.web;

import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxFlavor;
import dev.warden.testing.SandboxExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The console does not depend on the flavor; its browser tests run on MySQL 8.0 (a fresh sandbox each). */
class ConsoleBrowserMysql8IT extends ConsoleBrowserScenarios {
    @RegisterExtension
    final SandboxExtension sandbox = SandboxExtension.of(SandboxFlavor.MYSQL8);

    @Override
    Sandbox sandbox() {
        return sandbox.sandbox();
    }
}
