package dev.warden.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warden.decision.Vote;
import dev.warden.model.GtidPosition;
import dev.warden.model.GtidSet;
import dev.warden.model.HookEvent;
import dev.warden.model.InstanceKey;
import dev.warden.model.MariaDbGtidPosition;
import dev.warden.plan.CatchUp;
import dev.warden.plan.FenceOldPrimary;
import dev.warden.plan.KillClientSessions;
import dev.warden.plan.MakeReadOnly;
import dev.warden.plan.MakeWritable;
import dev.warden.plan.Plan;
import dev.warden.plan.PlanKind;
import dev.warden.plan.Promote;
import dev.warden.plan.Repoint;
import dev.warden.plan.RouteWriters;
import dev.warden.plan.RunHooks;
import dev.warden.plan.SetHeartbeatPeriod;
import dev.warden.plan.Step;
import dev.warden.plan.WaitForGtid;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Plans, steps and votes as JSON for the store. Every step kind round-trips exactly: a restarted manager resumes
 * an operation from what this wrote.
 */
final class PlanCodec {

    static final ObjectMapper JSON = new ObjectMapper();

    private PlanCodec() {
    }

    static String plan(Plan p) {
        ObjectNode n = JSON.createObjectNode();
        n.put("kind", p.kind().name());
        n.put("cluster", p.cluster());
        n.put("trigger", p.trigger());
        n.put("oldPrimary", key(p.oldPrimary()));
        n.put("candidate", key(p.candidate()));
        n.put("why", p.why());
        n.put("knownMissingTransactions", p.knownMissing());
        n.set("excluded", reasoned(p.excluded()));
        n.set("leftBehind", reasoned(p.leftBehind()));
        ArrayNode steps = n.putArray("steps");
        p.steps().forEach(s -> steps.add(step(s)));
        ArrayNode undo = n.putArray("undo");
        p.undo().forEach(s -> undo.add(step(s)));
        n.put("undoBefore", p.undoBefore());
        return write(n);
    }

    static Plan plan(String json) {
        JsonNode n = read(json);
        List<Step> steps = new ArrayList<>();
        n.get("steps").forEach(s -> steps.add(step(s)));
        List<Step> undo = new ArrayList<>();
        n.get("undo").forEach(s -> undo.add(step(s)));
        return new Plan(PlanKind.valueOf(n.get("kind").asText()), n.get("cluster").asText(), text(n, "trigger"),
                key(n, "oldPrimary"), key(n, "candidate"), text(n, "why"), (n.has("knownMissingTransactions") ? n.get("knownMissingTransactions") : n.get("dataLossBound")).asLong(),
                reasoned(n.get("excluded")), reasoned(n.get("leftBehind")), steps, undo, n.get("undoBefore").asInt());
    }

    static String stepJson(Step s) {
        return write(step(s));
    }

    static ObjectNode step(Step s) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", s.getClass().getSimpleName());
        n.put("server", key(s.server()));
        n.put("timeoutMs", s.timeout().toMillis());
        if (s instanceof CatchUp c) {
            n.put("flavor", c.received() instanceof GtidSet ? "mysql" : "mariadb");
            n.put("received", c.received().toString());
            n.put("force", c.force());
        } else if (s instanceof FenceOldPrimary f) {
            n.put("reachMs", f.reach().toMillis());
        } else if (s instanceof KillClientSessions k) {
            n.put("graceMs", k.grace().toMillis());
        } else if (s instanceof Repoint r) {
            n.put("newSource", key(r.newSource()));
            n.put("sourceAddress", key(r.sourceAddress()));
        } else if (s instanceof RunHooks h) {
            n.put("event", h.event().configName());
        } else if (s instanceof WaitForGtid w) {
            n.put("source", key(w.source()));
        } else if (s instanceof SetHeartbeatPeriod h) {
            n.put("channel", h.channel());
            n.put("periodMs", h.period().toMillis());
        } else if (s instanceof dev.warden.plan.PublishPrimary p) {
            n.put("gate", p.gate());
        }
        return n;
    }

    static Step step(String json) {
        return step(read(json));
    }

    static Step step(JsonNode n) {
        InstanceKey server = key(n, "server");
        Duration timeout = Duration.ofMillis(n.get("timeoutMs").asLong());
        String type = n.get("type").asText();
        return switch (type) {
            case "FenceOldPrimary" -> new FenceOldPrimary(server, n.has("reachMs")
                    ? Duration.ofMillis(n.get("reachMs").asLong()) : timeout, timeout);
            case "CatchUp" -> new CatchUp(server, position(n.get("flavor").asText(), n.get("received").asText()),
                    timeout, n.path("force").asBoolean(false));
            case "Promote" -> new Promote(server, timeout);
            case "Repoint" -> new Repoint(server, key(n, "newSource"), key(n, "sourceAddress"), timeout);
            case "SetHeartbeatPeriod" -> new SetHeartbeatPeriod(server, n.path("channel").asText(""),
                    Duration.ofMillis(n.get("periodMs").asLong()), timeout);
            case "RunHooks" -> new RunHooks(HookEvent.parse(n.get("event").asText()).orElseThrow(
                    () -> new IllegalArgumentException("unknown hook event " + n.get("event"))), server, timeout);
            case "MakeReadOnly" -> new MakeReadOnly(server, timeout);
            case "KillClientSessions" -> new KillClientSessions(server, Duration.ofMillis(n.get("graceMs").asLong()),
                    timeout);
            case "WaitForGtid" -> new WaitForGtid(server, key(n, "source"), timeout);
            case "RouteWriters" -> new RouteWriters(server, timeout);
            case "MakeWritable" -> new MakeWritable(server, timeout);
            case "PublishPrimary" -> new dev.warden.plan.PublishPrimary(server, timeout, n.path("gate").asBoolean());
            default -> throw new IllegalArgumentException("unknown step type '" + type + "' in the store: it was "
                    + "written by a newer Warden");
        };
    }

    static String votes(List<Vote> votes) {
        ArrayNode a = JSON.createArrayNode();
        for (Vote v : votes) {
            ObjectNode n = a.addObject();
            n.put("observer", v.observer());
            n.put("verdict", v.verdict().name());
            n.put("saw", v.saw());
            n.put("at", v.at() == null ? null : v.at().toString());
        }
        return write(a);
    }

    static List<Vote> votes(String json) {
        List<Vote> out = new ArrayList<>();
        for (JsonNode n : read(json)) {
            out.add(new Vote(n.get("observer").asText(), Vote.Verdict.valueOf(n.get("verdict").asText()),
                    text(n, "saw"), n.hasNonNull("at") ? Instant.parse(n.get("at").asText()) : null));
        }
        return out;
    }

    private static GtidPosition position(String flavor, String text) {
        return "mysql".equals(flavor) ? GtidSet.parse(text) : MariaDbGtidPosition.parse(text);
    }

    private static ArrayNode reasoned(List<Plan.Reasoned> list) {
        ArrayNode a = JSON.createArrayNode();
        list.forEach(r -> a.addObject().put("server", key(r.server())).put("reason", r.reason()));
        return a;
    }

    private static List<Plan.Reasoned> reasoned(JsonNode a) {
        List<Plan.Reasoned> out = new ArrayList<>();
        a.forEach(n -> out.add(new Plan.Reasoned(key(n, "server"), text(n, "reason"))));
        return out;
    }

    private static String key(InstanceKey k) {
        return k == null ? null : k.toString();
    }

    private static InstanceKey key(JsonNode n, String field) {
        return n.hasNonNull(field) ? InstanceKey.parse(n.get(field).asText()) : null;
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }

    static String write(JsonNode n) {
        try {
            return JSON.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("unreadable JSON in the store: " + e.getOriginalMessage(), e);
        }
    }
}
