package dev.warden.web;

import dev.warden.config.DurationText;
import dev.warden.config.LbChecks;
import dev.warden.engine.ClusterMonitor;
import dev.warden.engine.Monitor;
import dev.warden.model.InstanceKey;
import dev.warden.plan.PlanKind;
import dev.warden.proxy.LbHealth;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Health checks for any load balancer: {@code GET /lb/{cluster}/primary/{host:port}} and
 * {@code GET /lb/{cluster}/replica/{host:port}?max_lag=5s}, 200 or 503 (404 for what the cluster does not have),
 * with one line of plain text saying why. No login; limited to {@code http.lb_checks.allow} when set.
 */
final class LbApi {

    private LbApi() {
    }

    static void primary(Context ctx, Monitor monitor, LbChecks checks) {
        view(ctx, monitor, checks).ifPresent(a -> answer(ctx, LbHealth.primary(a.view(), a.server())));
    }

    static void replica(Context ctx, Monitor monitor, LbChecks checks) {
        Duration maxLag = checks.maxLag();
        String asked = ctx.queryParam("max_lag");
        if (asked != null) {
            try {
                maxLag = asked.matches("\\d+(\\.\\d+)?") ? DurationText.parse(asked + "s") : DurationText.parse(asked);
            } catch (IllegalArgumentException e) {
                text(ctx, 400, "max_lag: " + e.getMessage() + " (a bare number counts as seconds)");
                return;
            }
        }
        Duration lag = maxLag;
        view(ctx, monitor, checks).ifPresent(a -> answer(ctx, LbHealth.replica(a.view(), a.server(), lag)));
    }

    private record Asked(LbHealth.View view, InstanceKey server) {
    }

    private static Optional<Asked> view(Context ctx, Monitor monitor, LbChecks checks) {
        if (!checks.allows(ctx.ip())) {
            text(ctx, 403, ctx.ip() + " may not ask: http.lb_checks.allow does not list it");
            return Optional.empty();
        }
        String name = ctx.pathParam("cluster");
        Optional<ClusterMonitor> c = monitor.cluster(name);
        if (c.isEmpty()) {
            text(ctx, 404, "no cluster named '" + name + "' in the configuration");
            return Optional.empty();
        }
        InstanceKey server;
        try {
            server = InstanceKey.parse(ctx.pathParam("server"));
        } catch (IllegalArgumentException e) {
            text(ctx, 400, e.getMessage() + "; ask for a server as host:port, like /lb/" + name
                    + "/primary/10.0.0.5:3306");
            return Optional.empty();
        }
        ClusterMonitor cluster = c.get();
        var probe = monitor.config().probe();
        // Fresh means: within a few cycles, even cycles that wait out slow servers.
        Duration maxAge = max(probe.interval().multipliedBy(3), probe.interval().plus(probe.readTimeout()))
                .plusSeconds(1);
        // With several managers only the leader keeps the fenced servers current (a follower loads them when it
        // takes over): a follower answers down, saying who to ask.
        dev.warden.decision.Leadership l = cluster.leadership();
        if (l != dev.warden.decision.Leadership.ALONE && !l.leads()) {
            text(ctx, 503, "down: this manager does not lead cluster " + name + (l.leader() == null ? ""
                    : "; ask its leader, " + l.leader()) + " (or poll /health/leader to find it)");
            return Optional.empty();
        }
        Instant moved = lastMove(cluster);
        var latest = cluster.latest();
        if (moved != null && latest.isPresent() && latest.get().topology().takenAt().isBefore(moved)) {
            text(ctx, 503, "down: the primary of cluster " + name + " moved at " + moved + "; waiting for the "
                    + "first probe after it");
            return Optional.empty();
        }
        LbHealth.View v = latest.map(cycle -> new LbHealth.View(cycle.topology(), cluster.controls(),
                replacing(cluster), Duration.between(cycle.topology().takenAt(), Instant.now()), maxAge))
                .orElse(new LbHealth.View(null, cluster.controls(), null, Duration.ZERO, maxAge));
        return Optional.of(new Asked(v, server));
    }

    /**
     * When the last failover or switchover ended: a view probed before it still shows the old primary (a view that
     * old counts as stale, so every check is down until the next probe).
     */
    private static Instant lastMove(ClusterMonitor c) {
        return c.operations().stream().filter(op -> op.plan().kind() == PlanKind.FAILOVER
                || op.plan().kind() == PlanKind.SWITCHOVER).map(op -> op.endedAt()).filter(java.util.Objects::nonNull)
                .max(Instant::compareTo).orElse(null);
    }

    /** The primary a running failover or switchover replaces, or null. */
    private static InstanceKey replacing(ClusterMonitor c) {
        return c.running().map(op -> op.plan()).filter(p -> p.kind() == PlanKind.FAILOVER
                || p.kind() == PlanKind.SWITCHOVER).map(p -> p.oldPrimary()).orElse(null);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static void answer(Context ctx, LbHealth.Verdict v) {
        text(ctx, v.status(), (v.up() ? "up: " : "down: ") + v.reason());
    }

    private static void text(Context ctx, int status, String line) {
        ctx.status(status).header("Cache-Control", "no-store").contentType("text/plain; charset=utf-8")
                .result(line + "\n");
    }
}
