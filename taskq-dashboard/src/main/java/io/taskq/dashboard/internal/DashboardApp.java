package io.taskq.dashboard.internal;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard, whatever serves it: the security rules ({@link Guard}), the static pages ({@link StaticAssets}) and
 * the JSON API under {@code /api} (docs/dashboard.md lists it). One per {@code TaskqDashboard}.
 */
public final class DashboardApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DashboardApp.class);

    private final DashboardConfig config;
    private final Guard guard;
    private final EventFeed feed;
    private final Router router = new Router();
    private final StaticAssets assets = new StaticAssets();

    /** The dashboard of a configuration; subscribes to the event stream at once (if the broker keeps one). */
    public DashboardApp(DashboardConfig config) {
        this.config = config;
        this.guard = new Guard(config, new Sessions(config.clock(), config.sessionTimeout()));
        this.feed = new EventFeed(config);
        new SessionApi(config, guard).register(router);
        new ClusterApi(config, feed).register(router);
        new TasksApi(config, feed).register(router);
        new DeadLettersApi(config).register(router);
        new LimitsApi(config).register(router);
        if (config.scheduler() != null) {
            new SchedulesApi(config).register(router);
        }
        router.get("/api/events/stream", feed::stream);
    }

    /** The configuration. */
    public DashboardConfig config() {
        return config;
    }

    /** Answers one request; never throws. */
    public void handle(Exchange ex) {
        try {
            guard.checkClient(ex);
            String path = ex.path();
            if (path.isEmpty()) {
                ex.respond(302, "text/plain; charset=utf-8", Map.of("Location", ex.basePath() + "/"), new byte[0]);
                return;
            }
            if (path.startsWith("/api/") || path.equals("/api")) {
                api(ex, path);
            } else {
                assets.serve(ex);
            }
        } catch (ApiException e) {
            error(ex, e.status(), e.getMessage());
        } catch (Exception e) {
            LOG.warn("dashboard request {} {} failed", ex.method(), ex.path(), e);
            error(ex, 500, "the dashboard failed: " + e);
        }
    }

    private void api(Exchange ex, String path) throws Exception {
        Router.Match m = router.match(ex.method(), path);
        Sessions.Session s = null;
        if (!m.route().open()) {
            s = guard.require(ex);
            if (!ex.method().equals("GET") && !ex.method().equals("HEAD")) {
                guard.checkChange(ex, s);
            }
        }
        Object result;
        try {
            result = m.route().handler().handle(new Call(ex, s, m.params()));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        } catch (NoSuchElementException e) {
            throw ApiException.notFound(e.getMessage() == null ? "not found" : e.getMessage());
        } catch (IllegalStateException e) {
            throw new ApiException(409, e.getMessage());
        } catch (UnsupportedOperationException e) {
            throw new ApiException(501, e.getMessage());
        }
        if (result == Call.Streamed.DONE) {
            return;
        }
        Map<String, String> headers = new HashMap<>(noStore());
        if (result instanceof SessionApi.WithCookie w) {
            headers.putAll(Guard.cookieHeader(ex, w.session()));
            result = w.body();
        }
        ex.respond(200, "application/json; charset=utf-8", headers, DashboardJson.bytes(result));
    }

    static Map<String, String> noStore() {
        return Map.of("Cache-Control", "no-store", "X-Content-Type-Options", "nosniff");
    }

    private static void error(Exchange ex, int status, String message) {
        try {
            ex.respond(status, "application/json; charset=utf-8", noStore(),
                    DashboardJson.bytes(DashboardJson.of("error", message, "status", status)));
        } catch (IOException | RuntimeException e) {
            LOG.debug("could not send the error answer", e);
        }
    }

    /** Stops the event feed. */
    @Override
    public void close() {
        feed.close();
    }
}
