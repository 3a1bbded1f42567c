package io.taskq.dashboard.internal;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.util.Map;

/** An {@link Exchange} of the JDK's HTTP server; the dashboard is at the server's root. */
final class JdkExchange implements Exchange {
    private final HttpExchange exchange;
    private Map<String, String> query;

    JdkExchange(HttpExchange exchange) {
        this.exchange = exchange;
    }

    @Override
    public String method() {
        return exchange.getRequestMethod();
    }

    @Override
    public String path() {
        String p = exchange.getRequestURI().getPath();
        return p == null || p.isEmpty() ? "/" : p;
    }

    @Override
    public String basePath() {
        return "";
    }

    @Override
    public String query(String name) {
        if (query == null) {
            query = QueryString.parse(exchange.getRequestURI().getRawQuery());
        }
        return query.get(name);
    }

    @Override
    public String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    @Override
    public byte[] body(int max) throws IOException {
        return QueryString.readAtMost(exchange.getRequestBody(), max);
    }

    @Override
    public InetAddress remoteAddress() {
        return exchange.getRemoteAddress().getAddress();
    }

    @Override
    public boolean secure() {
        return false;
    }

    @Override
    public void respond(int status, String contentType, Map<String, String> headers, byte[] body) throws IOException {
        headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean empty = body.length == 0 || method().equals("HEAD");
        exchange.sendResponseHeaders(status, empty ? -1 : body.length);
        if (!empty) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public OutputStream stream(String contentType, Map<String, String> headers) throws IOException {
        headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(200, 0);
        return exchange.getResponseBody();
    }
}
