package dev.warden.web;

import dev.warden.config.HttpSettings;
import dev.warden.engine.ClusterMonitor;
import dev.warden.engine.Monitor;
import dev.warden.store.StoreException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console (static files from the web-ui jar), the JSON API with access control, the event stream, metrics
 * and health endpoints, on HTTP or HTTPS ({@code http.tls}).
 */
public final class WebServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebServer.class);

    private final Javalin app;
    private final EventStream stream;

    private WebServer(Javalin app, EventStream stream) {
        this.app = app;
        this.stream = stream;
    }

    public static WebServer start(HttpSettings http, Monitor monitor) {
        Access access = new Access(monitor.config().access(), http.sessionTimeout(), monitor.store().audit(),
                http.tls() != null, Clock.systemUTC());
        EventStream stream = new EventStream(monitor);
        Metrics metrics = new Metrics();
        if (monitor.config().coordinated()) {
            metrics.coordination(monitor.coordination());
        }
        monitor.listen(stream);
        monitor.listen(metrics);
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jetty.host = http.host();
            config.jetty.port = http.port();
            if (http.tls() != null) {
                Tls.configure(config.jetty, http);
            }
            config.staticFiles.add(s -> {
                s.hostedPath = "/";
                s.directory = "/warden-console";
                s.location = Location.CLASSPATH;
            });
            var r = config.routes;
            r.beforeMatched(access::check);
            r.get("/healthz", ctx -> ctx.json(Map.of("status", "up")), RequiredRole.PUBLIC);
            r.get("/readyz", ctx -> ready(ctx, monitor), RequiredRole.PUBLIC);
            r.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                    .result(metrics.scrape()), RequiredRole.VIEWER);
            r.post("/api/login", access::login, RequiredRole.PUBLIC);
            r.post("/api/logout", access::logout, RequiredRole.VIEWER);
            r.get("/api/session", access::session, RequiredRole.PUBLIC);
            r.get("/health/leader", ctx -> leader(ctx, monitor), RequiredRole.PUBLIC);
            r.get("/lb/{cluster}/primary/{server}", ctx -> LbApi.primary(ctx, monitor, http.lbChecks()),
                    RequiredRole.PUBLIC);
            r.get("/lb/{cluster}/replica/{server}", ctx -> LbApi.replica(ctx, monitor, http.lbChecks()),
                    RequiredRole.PUBLIC);
            r.head("/lb/{cluster}/primary/{server}", ctx -> LbApi.primary(ctx, monitor, http.lbChecks()),
                    RequiredRole.PUBLIC);
            r.head("/lb/{cluster}/replica/{server}", ctx -> LbApi.replica(ctx, monitor, http.lbChecks()),
                    RequiredRole.PUBLIC);
            r.get("/api/managers", ctx -> managers(ctx, monitor), RequiredRole.VIEWER);
            r.get("/api/clusters", ctx -> clusters(ctx, monitor), RequiredRole.VIEWER);
            r.get("/api/clusters/{name}", ctx -> cluster(ctx, monitor), RequiredRole.VIEWER);
            r.get("/api/clusters/{name}/plan", ctx -> ControlApi.plan(ctx, monitor), RequiredRole.VIEWER);
            r.get("/api/clusters/{name}/history", ctx -> HistoryApi.history(ctx, monitor), RequiredRole.VIEWER);
            r.post("/api/clusters/{name}/acknowledge", ctx -> ControlApi.acknowledge(ctx, monitor),
                    RequiredRole.OPERATOR);
            r.post("/api/clusters/{name}/maintenance", ctx -> ControlApi.maintenance(ctx, monitor),
                    RequiredRole.OPERATOR);
            r.post("/api/clusters/{name}/switchover", ctx -> ControlApi.switchover(ctx, monitor),
                    RequiredRole.OPERATOR);
            r.post("/api/clusters/{name}/failover", ctx -> ControlApi.failover(ctx, monitor), RequiredRole.OPERATOR);
            r.get("/api/operations", ctx -> HistoryApi.operations(ctx, monitor), RequiredRole.VIEWER);
            r.get("/api/operations/{id}", ctx -> HistoryApi.operation(ctx, monitor), RequiredRole.VIEWER);
            r.get("/api/audit", ctx -> HistoryApi.audit(ctx, monitor), RequiredRole.OPERATOR);
            r.sse("/api/stream", stream::connect, RequiredRole.VIEWER);
            OrchestratorApi.register(r, monitor);
            r.exception(StoreException.class, ControlApi::storeUnavailable);
            r.error(404, "*", ctx -> {
                if (ctx.path().startsWith("/api/") && !String.valueOf(ctx.result()).startsWith("{")) {
                    Errors.send(ctx, 404, "not found", ctx.method() + " " + ctx.path() + " is not part of the API");
                }
            });
        });
        try {
            app.start();
        } catch (RuntimeException e) {
            stream.close();
            throw new IllegalStateException("cannot listen on " + http + " (" + rootMessage(e)
                    + "); is another process using it? change http.listen", e);
        }
        if (!monitor.config().access().enabled()) {
            log.warn("No users or tokens are configured: anyone who can reach {}:{} may use the console and API as "
                    + "admin. Add users (warden passwd) before opening it to others.", http.host(), app.port());
        }
        log.info("Console on {}://{}:{}/", http.scheme(), http.host(), app.port());
        return new WebServer(app, stream);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    private static void clusters(Context ctx, Monitor monitor) {
        List<Map<String, Object>> views = new ArrayList<>();
        for (ClusterMonitor c : monitor.clusters()) {
            c.latest().ifPresent(cycle -> views.add(ClusterJson.of(c, cycle)));
        }
        ctx.json(views);
    }

    private static void cluster(Context ctx, Monitor monitor) {
        ControlApi.cluster(ctx, monitor).ifPresent(c -> {
            var latest = c.latest();
            if (latest.isEmpty()) {
                Errors.send(ctx, 503, "not probed yet", "the first probe cycle has not finished");
                return;
            }
            ctx.json(ClusterJson.of(c, latest.get()));
        });
    }

    /**
     * 200 when this manager leads (alone it always does) every cluster asked for ({@code ?cluster=NAME}, or any
     * cluster at all without it); 503 otherwise, with who leads. For a load balancer that should send changes to
     * the leader.
     */
    private static void leader(Context ctx, Monitor monitor) {
        String only = ctx.queryParam("cluster");
        if (only != null && monitor.cluster(only).isEmpty()) {
            Errors.send(ctx, 404, "unknown cluster", "no cluster named '" + only + "' in the configuration");
            return;
        }
        List<String> leads = new ArrayList<>();
        Map<String, Object> others = new LinkedHashMap<>();
        for (ClusterMonitor c : monitor.clusters()) {
            if (only != null && !only.equals(c.name())) {
                continue;
            }
            var l = c.leadership();
            if (l.leads()) {
                leads.add(c.name());
            } else {
                others.put(c.name(), l.whyNotActing(c.name()));
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("manager", monitor.coordination().self());
        m.put("leads", leads);
        m.put("notLeading", others);
        ctx.status(!leads.isEmpty() && (only == null || others.isEmpty()) ? 200 : 503).json(m);
    }

    /** Every configured manager: up or not, which clusters it leads, its epoch, the age of its last observation. */
    private static void managers(Context ctx, Monitor monitor) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("coordinated", monitor.config().coordinated());
        m.put("self", monitor.coordination().self());
        m.put("managers", monitor.coordination().managers());
        ctx.json(m);
    }

    /** Ready: watching, the store writes, and every cluster completed a cycle recently. */
    private static void ready(Context ctx, Monitor monitor) {
        List<String> problems = readinessProblems(monitor);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", problems.isEmpty() ? "ready" : "not ready");
        m.put("problems", problems);
        ctx.status(problems.isEmpty() ? 200 : 503).json(m);
    }

    /** Why this daemon is not ready (monitor stopped, store failing, a cluster not probed lately); empty: ready. */
    static List<String> readinessProblems(Monitor monitor) {
        List<String> problems = new ArrayList<>();
        if (monitor.state() != Monitor.State.RUNNING) {
            problems.add("the monitor is " + monitor.state());
        }
        monitor.store().problem().ifPresent(p -> problems.add("store: " + p));
        Duration fresh = monitor.config().probe().interval().multipliedBy(3).plusSeconds(5);
        Instant now = Instant.now();
        for (ClusterMonitor c : monitor.clusters()) {
            var latest = c.latest();
            if (latest.isEmpty()) {
                problems.add("cluster " + c.name() + " not probed yet");
            } else if (Duration.between(latest.get().topology().takenAt(), now).compareTo(fresh) > 0) {
                problems.add("cluster " + c.name() + ": last cycle at " + latest.get().topology().takenAt());
            }
        }
        return problems;
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        stream.close();
        app.stop();
    }
}
