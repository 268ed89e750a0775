package dev.warden.web;

import dev.warden.plan.Plan;
import dev.warden.plan.Step;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A plan for the API: who is replaced by whom and why, the known transactions missing, who is left out, and the steps. */
final class PlanJson {

    private PlanJson() {
    }

    static Map<String, Object> of(Plan p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", p.kind().name());
        m.put("summary", p.summary());
        m.put("trigger", p.trigger());
        m.put("oldPrimary", p.oldPrimary() == null ? null : p.oldPrimary().toString());
        m.put("candidate", p.candidate() == null ? null : p.candidate().toString());
        m.put("why", p.why());
        m.put("knownMissingTransactions", p.knownMissing());
        m.put("excluded", reasoned(p.excluded()));
        m.put("leftBehind", reasoned(p.leftBehind()));
        m.put("steps", p.steps().stream().map(PlanJson::step).toList());
        m.put("undo", p.undo().stream().map(PlanJson::step).toList());
        return m;
    }

    static Map<String, Object> step(Step s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", s.kind());
        m.put("server", s.server() == null ? null : s.server().toString());
        m.put("description", s.describe());
        m.put("timeoutMillis", s.timeout().toMillis());
        m.put("precondition", s.precondition());
        return m;
    }

    private static List<Map<String, String>> reasoned(List<Plan.Reasoned> list) {
        return list.stream().map(r -> Map.of("server", r.server().toString(), "reason", r.reason())).toList();
    }
}
