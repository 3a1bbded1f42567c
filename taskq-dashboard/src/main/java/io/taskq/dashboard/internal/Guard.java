package io.taskq.dashboard.internal;

import io.taskq.dashboard.DashboardRole;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Map;

/**
 * The dashboard's security rules, applied to every request before any page or API answers:
 * <ul>
 *   <li>Without users, only loopback clients that name a loopback host are served (each as an admin called
 *       {@code local}): a page elsewhere cannot reach it through the browser, nor through DNS rebinding.</li>
 *   <li>With users, every API call but the login needs a session (a cookie, HttpOnly, SameSite=Strict).</li>
 *   <li>Every change (POST, PUT, DELETE) needs the session's CSRF token in the {@value #CSRF_HEADER} header and, when
 *       the browser sends an Origin, the dashboard's own; and the admin role.</li>
 * </ul>
 */
final class Guard {
    static final String COOKIE = "taskq_dashboard";
    static final String CSRF_HEADER = "X-Taskq-Csrf";
    static final String LOCAL_USER = "local";
    /** Who an unknown name's password is compared with, so that it takes as long as a known one's. */
    private static final DashboardConfig.User DUMMY = DashboardConfig.User.of("-", "-", DashboardRole.READ_ONLY);

    private final DashboardConfig config;
    private final Sessions sessions;
    private final LoginThrottle throttle;

    Guard(DashboardConfig config, Sessions sessions) {
        this.config = config;
        this.sessions = sessions;
        this.throttle = new LoginThrottle(config.clock());
    }

    /** Refuses a client the dashboard must not serve at all (403): see the class comment. */
    void checkClient(Exchange ex) {
        if (config.authenticated()) {
            return;
        }
        if (!ex.remoteAddress().isLoopbackAddress()) {
            throw new ApiException(403, "this dashboard has no users configured, so it serves loopback clients only");
        }
        String host = hostOf(ex.header("Host"));
        if (host == null || !isLoopbackName(host)) {
            throw new ApiException(403, "this dashboard has no users configured: open it as 127.0.0.1 or localhost");
        }
    }

    /** The session of the request, or null. Without users, a loopback client gets one on asking for it. */
    Sessions.Session session(Exchange ex, boolean create) {
        Sessions.Session s = sessions.find(cookie(ex.header("Cookie")));
        if (s == null && create && !config.authenticated()) {
            s = sessions.open(LOCAL_USER, DashboardRole.ADMIN);
        }
        return s;
    }

    /** The session of an API call, or 401. */
    Sessions.Session require(Exchange ex) {
        Sessions.Session s = session(ex, false);
        if (s == null) {
            throw new ApiException(401, "log in first");
        }
        return s;
    }

    /** Checks a change: same origin, the session's CSRF token (403 if not), and the admin role (403 if not). */
    void checkChange(Exchange ex, Sessions.Session s) {
        checkToken(ex, s);
        if (!s.admin()) {
            throw new ApiException(403, "user '" + s.user + "' is read-only");
        }
    }

    /** Checks the origin and the session's CSRF token (compared in constant time); 403 if either is wrong. */
    void checkToken(Exchange ex, Sessions.Session s) {
        checkOrigin(ex);
        String token = ex.header(CSRF_HEADER);
        if (token == null || !MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                s.csrf.getBytes(StandardCharsets.UTF_8))) {
            throw new ApiException(403, "missing or wrong CSRF token (header " + CSRF_HEADER + ")");
        }
    }

    /** A cross-site request is refused (403): its Origin, when sent, must be this host's. */
    void checkOrigin(Exchange ex) {
        String origin = ex.header("Origin");
        if (origin == null) {
            return;
        }
        String host = ex.header("Host");
        try {
            URI o = URI.create(origin);
            String authority = o.getRawAuthority();
            if (authority != null && host != null && authority.equalsIgnoreCase(host)) {
                return;
            }
        } catch (IllegalArgumentException e) {
            // not a URI: refused below
        }
        throw new ApiException(403, "cross-origin request refused (Origin " + origin + ")");
    }

    /**
     * Logs a user in: a new session, or 401 after comparing in constant time; 429 after too many failures of the
     * client or the name ({@link LoginThrottle}).
     */
    Sessions.Session login(Exchange ex, String user, String password) {
        String address = ex.remoteAddress().getHostAddress();
        throttle.check(address, user);
        DashboardConfig.User u = user == null ? null : config.users().get(user);
        // Compared even for an unknown user, so that the answer's time does not tell which names exist.
        DashboardConfig.User check = u != null ? u : DUMMY;
        boolean ok = check.matches(password) && u != null;
        if (!ok) {
            throttle.failed(address, user);
            throw new ApiException(401, "wrong user or password");
        }
        return sessions.open(u.name(), u.role());
    }

    void logout(Exchange ex) {
        sessions.close(cookie(ex.header("Cookie")));
    }

    /** The Set-Cookie header of a session under the dashboard's path. */
    static Map<String, String> cookieHeader(Exchange ex, Sessions.Session s) {
        String path = ex.basePath().isEmpty() ? "/" : ex.basePath() + "/";
        return Map.of("Set-Cookie", COOKIE + "=" + (s == null ? "" : s.id) + "; Path=" + path
                + "; HttpOnly; SameSite=Strict" + (ex.secure() ? "; Secure" : "") + (s == null ? "; Max-Age=0" : ""));
    }

    static String cookie(String header) {
        if (header == null) {
            return null;
        }
        for (String part : header.split(";")) {
            String p = part.trim();
            if (p.startsWith(COOKIE + "=")) {
                return p.substring(COOKIE.length() + 1);
            }
        }
        return null;
    }

    static String hostOf(String hostHeader) {
        if (hostHeader == null || hostHeader.isBlank()) {
            return null;
        }
        String h = hostHeader.trim();
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? null : h.substring(1, end);
        }
        int colon = h.lastIndexOf(':');
        return colon < 0 ? h : h.substring(0, colon);
    }

    static boolean isLoopbackName(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost") || h.endsWith(".localhost")) {
            return true;
        }
        // Only literal addresses: a name is never resolved here (that is what DNS rebinding abuses).
        if (!h.matches("[0-9.]+") && !h.contains(":")) {
            return false;
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }
}
