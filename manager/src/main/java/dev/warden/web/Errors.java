package dev.warden.web;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every error is JSON {@code {error, detail}} (and {@code reasons} for a refusal) with its status. */
final class Errors {

    private Errors() {
    }

    static void send(Context ctx, int status, String error, String detail) {
        if (ctx.path().startsWith(OrchestratorApi.PREFIX + "/") || ctx.path().equals(OrchestratorApi.PREFIX)) {
            // Orchestrator's clients read every answer as {Code, Message, Details}.
            if (status == 401) {
                ctx.header("WWW-Authenticate", "Basic realm=\"warden\"");
            }
            ctx.status(status).json(OrchestratorJson.response(false, error + ": " + detail, null));
            return;
        }
        ctx.status(status).json(Map.of("error", error, "detail", detail));
    }

    static void refused(Context ctx, List<String> reasons) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", "refused by precheck");
        m.put("detail", String.join("; ", reasons) + "; nothing was changed");
        m.put("reasons", reasons);
        ctx.status(422).json(m);
    }

    static void malformed(Context ctx, String detail) {
        send(ctx, 400, "malformed request", detail);
    }
}
