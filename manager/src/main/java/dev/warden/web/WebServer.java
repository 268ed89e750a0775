package dev.warden.web;

import dev.warden.config.HttpSettings;
import dev.warden.engine.ClusterMonitor;
import dev.warden.engine.Monitor;
import dev.warden.store.StoreException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The console (static files from the web-ui jar), the read-only cluster API, and health endpoints. */
public final class WebServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebServer.class);

    private final Javalin app;

    private WebServer(Javalin app) {
        this.app = app;
    }

    public static WebServer start(HttpSettings http, Monitor monitor) {
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jetty.host = http.host();
            config.jetty.port = http.port();
            config.staticFiles.add(s -> {
                s.hostedPath = "/";
                s.directory = "/warden-console";
                s.location = Location.CLASSPATH;
            });
            config.routes.get("/healthz", ctx -> ctx.json(Map.of("status", "up")));
            config.routes.get("/api/clusters", ctx -> clusters(ctx, monitor));
            config.routes.get("/api/clusters/{name}", ctx -> cluster(ctx, monitor));
            config.routes.post("/api/clusters/{name}/acknowledge", ctx -> ControlApi.acknowledge(ctx, monitor));
            config.routes.post("/api/clusters/{name}/maintenance", ctx -> ControlApi.maintenance(ctx, monitor));
            config.routes.post("/api/clusters/{name}/switchover", ctx -> ControlApi.switchover(ctx, monitor));
            config.routes.get("/api/operations", ctx -> ControlApi.operations(ctx, monitor));
            config.routes.get("/api/operations/{id}", ctx -> ControlApi.operation(ctx, monitor));
            config.routes.get("/api/clusters/{name}/history", ctx -> ControlApi.history(ctx, monitor));
            config.routes.get("/api/audit", ctx -> ControlApi.audit(ctx, monitor));
            config.routes.exception(StoreException.class, ControlApi::storeUnavailable);
        });
        try {
            app.start();
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot listen on " + http + " (" + rootMessage(e)
                    + "); is another process using it? change http.listen", e);
        }
        log.info("Console on http://{}:{}/", http.host(), app.port());
        return new WebServer(app);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    private static void clusters(Context ctx, Monitor monitor) {
        List<ClusterView> views = monitor.clusters().stream().map(ClusterMonitor::latest)
                .flatMap(java.util.Optional::stream).map(ClusterView::of).toList();
        ctx.json(views);
    }

    private static void cluster(Context ctx, Monitor monitor) {
        String name = ctx.pathParam("name");
        var c = monitor.cluster(name);
        if (c.isEmpty()) {
            ctx.status(404).json(Map.of("error", "unknown cluster", "detail", "no cluster named '" + name
                    + "' in the configuration"));
            return;
        }
        var latest = c.get().latest();
        if (latest.isEmpty()) {
            ctx.status(503).json(Map.of("error", "not probed yet", "detail", "the first probe cycle has not finished"));
            return;
        }
        ctx.json(ClusterView.of(latest.get()));
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}
