package dev.warden.sandbox;

/** The accounts a sandbox creates from the grant files. Local throwaway servers: fixed passwords. */
public final class SandboxCredentials {

    public static final String WARDEN_USER = "warden";
    public static final String WARDEN_PASSWORD = "warden-sandbox-pw";
    public static final String REPL_USER = "repl";
    public static final String REPL_PASSWORD = "repl-sandbox-pw";
    public static final String CLUSTER = "sandbox";

    private SandboxCredentials() {
    }
}
