package dev.warden.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;

/** Prints what the daemon answered to a switchover or failover request. */
final class OperationOutput {

    private OperationOutput() {
    }

    /** A refusal, a dry-run plan, or the operation that ran; returns the exit code. */
    static int print(PrintWriter out, String what, int status, JsonNode n, boolean dryRun) {
        if (status == 422) {
            out.println(what + " refused (nothing was changed):");
            n.path("reasons").forEach(x -> out.println("  - " + x.asText()));
            out.flush();
            return WardenCommand.FAILED;
        }
        if (status != 200) {
            out.println(what + " not started: " + n.path("error").asText() + ": " + n.path("detail").asText());
            out.flush();
            return WardenCommand.FAILED;
        }
        if (dryRun) {
            JsonNode p = n.path("plan");
            out.println(p.path("summary").asText() + " (" + p.path("why").asText() + "):");
            p.path("steps").forEach(s -> out.println("  " + s.path("description").asText() + " (within "
                    + s.path("timeoutMillis").asLong() + " ms)"));
            out.flush();
            return WardenCommand.OK;
        }
        out.println(n.path("summary").asText());
        for (JsonNode s : n.path("steps")) {
            out.printf("  %-13s %5s ms  %s: %s%n", s.path("status").asText(), s.path("millis").asText("-"),
                    s.path("step").asText(), s.path("detail").asText());
        }
        for (JsonNode h : n.path("hooks")) {
            out.println("  hook " + h.path("hook").asText() + " (" + h.path("event").asText() + "): "
                    + h.path("status").asText() + " after " + h.path("attempts").asInt() + " attempt(s)"
                    + (h.path("error").asText().isEmpty() ? "" : ": " + h.path("error").asText()));
        }
        if (!n.path("writePauseMillis").isNull() && !n.path("writePauseMillis").isMissingNode()) {
            out.println("Writes paused " + n.path("writePauseMillis").asLong() + " ms (old primary read-only to new "
                    + "primary writable).");
        }
        out.flush();
        return "SUCCEEDED".equals(n.path("outcome").asText()) ? WardenCommand.OK : WardenCommand.FAILED;
    }
}
