package io.taskq.dashboard.internal;

import java.util.Map;

/**
 * Login, logout and "who am I": {@code POST /api/login} ({@code {"user":..,"password":..}}) opens a session and sets
 * its cookie; {@code GET /api/session} tells the page the user, role and CSRF token (without users, it opens the
 * loopback client's session); {@code POST /api/logout} ends it.
 */
final class SessionApi {
    private final DashboardConfig config;
    private final Guard guard;

    /** An answer that also sets the session cookie (null: clears it). */
    record WithCookie(Sessions.Session session, Object body) {
    }

    SessionApi(DashboardConfig config, Guard guard) {
        this.config = config;
        this.guard = guard;
    }

    void register(Router r) {
        r.open("POST", "/api/login", this::login);
        r.open("GET", "/api/session", this::session);
        r.open("POST", "/api/logout", this::logout);
    }

    private Object login(Call c) throws java.io.IOException {
        // No session yet, so no CSRF token: a JSON body cannot come cross-site without a preflight the dashboard
        // never answers, and the Origin is checked too.
        guard.checkOrigin(c.exchange);
        requireJson(c);
        Sessions.Session s = guard.login(c.exchange, c.text("user"), c.text("password"));
        return new WithCookie(s, view(s));
    }

    private Object session(Call c) {
        Sessions.Session s = guard.session(c.exchange, true);
        if (s == null) {
            throw new ApiException(401, "log in first");
        }
        return new WithCookie(s, view(s));
    }

    private Object logout(Call c) {
        guard.checkToken(c.exchange, guard.require(c.exchange));
        guard.logout(c.exchange);
        return new WithCookie(null, Map.of("loggedOut", true));
    }

    private Map<String, Object> view(Sessions.Session s) {
        return DashboardJson.of("user", s.user, "role", s.role.name(), "csrf", s.csrf,
                "authenticated", config.authenticated(), "seesArguments", s.admin() || config.showArgumentsToReadOnly(),
                "scheduler", config.scheduler() != null);
    }

    private static void requireJson(Call c) {
        String type = c.exchange.header("Content-Type");
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new ApiException(415, "send the login as application/json");
        }
    }
}
