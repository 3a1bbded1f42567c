package io.taskq.dashboard.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON API's routes: a method and a path pattern ({@code /api/queues/{queue}/purge}) to a handler. A segment in
 * braces matches one path segment, URL-decoded.
 */
final class Router {

    /** What answers a route: the value it returns is written as JSON (a {@link Call.Streamed} was written already). */
    @FunctionalInterface
    interface Handler {
        Object handle(Call call) throws Exception;
    }

    /** A route; {@code open} routes need no session (the login). */
    record Route(String method, String[] segments, boolean open, Handler handler) {
    }

    /** A matched route and its path parameters. */
    record Match(Route route, Map<String, String> params) {
    }

    private final List<Route> routes = new ArrayList<>();

    Router get(String pattern, Handler h) {
        return add("GET", pattern, false, h);
    }

    Router post(String pattern, Handler h) {
        return add("POST", pattern, false, h);
    }

    Router put(String pattern, Handler h) {
        return add("PUT", pattern, false, h);
    }

    Router delete(String pattern, Handler h) {
        return add("DELETE", pattern, false, h);
    }

    Router open(String method, String pattern, Handler h) {
        return add(method, pattern, true, h);
    }

    private Router add(String method, String pattern, boolean open, Handler h) {
        routes.add(new Route(method, split(pattern), open, h));
        return this;
    }

    /** The route for this method and path; 404 if no path matches, 405 if only another method does. */
    Match match(String method, String path) {
        String[] parts = split(path);
        boolean pathMatched = false;
        for (Route r : routes) {
            Map<String, String> params = matches(r.segments(), parts);
            if (params != null) {
                pathMatched = true;
                if (r.method().equals(method) || (method.equals("HEAD") && r.method().equals("GET"))) {
                    return new Match(r, params);
                }
            }
        }
        throw new ApiException(pathMatched ? 405 : 404, (pathMatched ? "method " + method + " not allowed on "
                : "no such API: ") + path);
    }

    private static Map<String, String> matches(String[] pattern, String[] parts) {
        if (pattern.length != parts.length) {
            return null;
        }
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < pattern.length; i++) {
            String p = pattern[i];
            if (p.startsWith("{") && p.endsWith("}")) {
                // A path segment is percent-encoded; a '+' in it is a plus, not a space as in a query.
                params.put(p.substring(1, p.length() - 1), URLDecoder.decode(parts[i].replace("+", "%2B"),
                        StandardCharsets.UTF_8));
            } else if (!p.equals(parts[i])) {
                return null;
            }
        }
        return params;
    }

    private static String[] split(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.isEmpty() ? new String[0] : p.split("/", -1);
    }
}
