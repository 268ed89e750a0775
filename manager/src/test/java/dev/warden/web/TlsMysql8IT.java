package dev.warden.web;

import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxFlavor;
import dev.warden.testing.SandboxExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** TLS is the daemon's own (Jetty); one flavor is enough. */
class TlsMysql8IT extends TlsScenarios {
    @RegisterExtension
    static final SandboxExtension SANDBOX = SandboxExtension.of(SandboxFlavor.MYSQL8);

    @Override
    Sandbox sandbox() {
        return SANDBOX.sandbox();
    }
}
