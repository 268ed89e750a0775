package dev.warden.testing;

import dev.warden.cli.WardenCommand;
import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs warden commands in-process and captures what they print. */
public final class Cli {

    public record Run(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private Cli() {
    }

    public static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code;
        try (PrintWriter o = new PrintWriter(out); PrintWriter e = new PrintWriter(err)) {
            code = WardenCommand.execute(o, e, args);
        }
        return new Run(code, out.toString(), err.toString());
    }
}
