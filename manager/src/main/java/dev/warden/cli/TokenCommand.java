package dev.warden.cli;

import dev.warden.auth.ApiToken;
import dev.warden.auth.Role;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code warden token}: a new API token, shown once, and the lines that grant it in warden.yaml. */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = "Make an API token for automation: prints the token (shown only now) and the tokens: entry "
                + "for warden.yaml, which keeps only its hash.")
final class TokenCommand implements Callable<Integer> {

    @Option(names = "--name", required = true, paramLabel = "NAME", description = "Who uses it, e.g. ci-bot.")
    String name;

    @Option(names = "--role", defaultValue = "operator", paramLabel = "ROLE",
            description = "viewer, operator or admin (default: ${DEFAULT-VALUE}).")
    String role;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Role r = Role.parse(role).orElseThrow(() -> new IllegalArgumentException("'" + role
                + "' is not a role; use viewer, operator or admin"));
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}")) {
            throw new IllegalArgumentException("'" + name + "' is not a usable name: letters, digits, _ . @ -");
        }
        String token = ApiToken.generate();
        var out = spec.commandLine().getOut();
        out.println("token: " + token);
        out.println("# Send it as 'Authorization: Bearer <token>' (or WARDEN_TOKEN for the warden commands).");
        out.println("# Add to warden.yaml; the token itself is not kept anywhere:");
        out.println("tokens:");
        out.println("  " + name + ":");
        out.println("    role: " + r.configName());
        out.println("    token_hash: \"" + ApiToken.hash(token) + "\"");
        out.flush();
        return WardenCommand.OK;
    }
}
