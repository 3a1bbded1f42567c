package io.taskq.dashboard.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pages' files, shipped in the jar under {@code io/taskq/dashboard/static} (no CDN: production servers are often
 * offline): {@code index.html} at the root, the rest under {@code /static/}.
 */
final class StaticAssets {
    private static final String ROOT = "/io/taskq/dashboard/static/";
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "svg", "image/svg+xml",
            "png", "image/png", "ico", "image/x-icon");
    /** The pages' own code and styles only; a strict policy so that an injected string cannot run as script. */
    private static final String CSP = "default-src 'self'; img-src 'self' data:; style-src 'self';"
            + " script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    void serve(Exchange ex) throws IOException {
        if (!ex.method().equals("GET") && !ex.method().equals("HEAD")) {
            throw new ApiException(405, "method " + ex.method() + " not allowed on " + ex.path());
        }
        String path = ex.path();
        String name;
        if (path.equals("/") || path.equals("/index.html")) {
            name = "index.html";
        } else if (path.startsWith("/static/") && path.substring(8).matches("[a-z0-9-]+\\.[a-z]+")) {
            name = path.substring(8);
        } else {
            throw ApiException.notFound("no page " + path);
        }
        byte[] body = cache.computeIfAbsent(name, StaticAssets::load);
        if (body.length == 0) {
            throw ApiException.notFound("no page " + path);
        }
        String ext = name.substring(name.lastIndexOf('.') + 1);
        ex.respond(200, TYPES.getOrDefault(ext, "application/octet-stream"), Map.of(
                "Content-Security-Policy", CSP, "X-Content-Type-Options", "nosniff", "X-Frame-Options", "DENY",
                "Referrer-Policy", "no-referrer", "Cache-Control", "no-cache"), body);
    }

    private static byte[] load(String name) {
        try (InputStream in = StaticAssets.class.getResourceAsStream(ROOT + name)) {
            return in == null ? new byte[0] : in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
