package dev.warden.web;

import dev.warden.actions.Operation;
import dev.warden.actions.StepRecord;
import dev.warden.hooks.HookOutcome;
import dev.warden.plan.PlanKind;
import java.util.LinkedHashMap;
import java.util.Map;

/** An operation for the API and the stream: who started it and why, each step with its timing, hook outcomes. */
final class OperationJson {

    private OperationJson() {
    }

    static Map<String, Object> of(Operation op) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", op.id());
        m.put("cluster", op.plan().cluster());
        m.put("kind", op.plan().kind().name());
        m.put("startedBy", op.startedBy());
        m.put("trigger", op.plan().trigger());
        m.put("plan", op.plan().summary());
        m.put("oldPrimary", op.plan().oldPrimary() == null ? null : op.plan().oldPrimary().toString());
        m.put("candidate", op.plan().candidate() == null ? null : op.plan().candidate().toString());
        m.put("knownMissingTransactions", op.plan().kind() == PlanKind.FAILOVER ? op.plan().knownMissing() : null);
        m.put("startedAt", op.startedAt().toString());
        m.put("endedAt", op.endedAt() == null ? null : op.endedAt().toString());
        m.put("millis", op.endedAt() == null ? null : op.endedAt().toEpochMilli() - op.startedAt().toEpochMilli());
        m.put("outcome", op.outcome().name());
        m.put("summary", op.summary());
        m.put("evidence", op.evidence().stream().map(Object::toString).toList());
        m.put("writePauseMillis", op.writePause() == null ? null : op.writePause().toMillis());
        m.put("steps", op.steps().stream().map(OperationJson::step).toList());
        m.put("hooks", op.hooks().stream().map(OperationJson::hook).toList());
        return m;
    }

    private static Map<String, Object> step(StepRecord r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", r.index());
        m.put("kind", r.step().kind());
        m.put("step", r.step().describe());
        m.put("undo", r.undo());
        m.put("status", r.status().name());
        m.put("detail", r.detail());
        m.put("startedAt", r.startedAt() == null ? null : r.startedAt().toString());
        m.put("millis", r.took() == null ? null : r.took().toMillis());
        return m;
    }

    private static Map<String, Object> hook(HookOutcome h) {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("hook", h.hook());
        x.put("event", h.event());
        x.put("status", h.status().name());
        x.put("attempts", h.attempts());
        x.put("millis", h.took().toMillis());
        x.put("gate", h.gate());
        x.put("error", h.detail());
        return x;
    }
}
