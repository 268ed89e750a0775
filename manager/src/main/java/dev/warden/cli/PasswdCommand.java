package dev.warden.cli;

import dev.warden.auth.PasswordHash;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code warden passwd}: prints the hash of a password for {@code users.NAME.password_hash}. */
@Command(name = "passwd", mixinStandardHelpOptions = true,
        description = "Print a PBKDF2 hash of a password, for users.<name>.password_hash in warden.yaml. "
                + "Asks twice on a terminal; --stdin reads one line instead.")
final class PasswdCommand implements Callable<Integer> {

    static final int MIN_LENGTH = 12;

    @Option(names = "--stdin", description = "Read the password from the first line of standard input.")
    boolean stdin;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        char[] password;
        Console console = System.console();
        if (stdin || console == null) {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (line == null) {
                throw new IllegalArgumentException("no password on standard input; pipe one line, like: "
                        + "printf '%s\\n' \"$PASSWORD\" | warden passwd --stdin");
            }
            password = line.toCharArray();
        } else {
            password = console.readPassword("Password: ");
            char[] again = console.readPassword("Again: ");
            if (password == null || again == null || !Arrays.equals(password, again)) {
                throw new IllegalArgumentException("the two passwords differ; nothing was printed");
            }
            Arrays.fill(again, ' ');
        }
        if (password.length < MIN_LENGTH) {
            throw new IllegalArgumentException("the password has " + password.length + " characters; use at least "
                    + MIN_LENGTH);
        }
        String hash = PasswordHash.hash(password);
        Arrays.fill(password, ' ');
        spec.commandLine().getOut().println("password_hash: \"" + hash + "\"");
        spec.commandLine().getOut().flush();
        return WardenCommand.OK;
    }
}
