package io.taskq.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskq.dashboard.internal.Exchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/** A request to the dashboard without a socket: what a browser would send, and what the dashboard answered. */
final class FakeExchange implements Exchange {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String method;
    private final String path;
    private final Map<String, String> query = new HashMap<>();
    private final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private byte[] body = new byte[0];
    private InetAddress remote;

    int status;
    final Map<String, String> responseHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    byte[] response;

    FakeExchange(String method, String pathAndQuery) {
        this.method = method;
        int q = pathAndQuery.indexOf('?');
        this.path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        if (q >= 0) {
            for (String pair : pathAndQuery.substring(q + 1).split("&")) {
                int eq = pair.indexOf('=');
                query.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        headers.put("Host", "127.0.0.1:5555");
        from("127.0.0.1");
    }

    FakeExchange from(String address) {
        try {
            remote = InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
        return this;
    }

    FakeExchange header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    FakeExchange json(String text) {
        headers.put("Content-Type", "application/json");
        body = text.getBytes(StandardCharsets.UTF_8);
        return this;
    }

    JsonNode json() throws IOException {
        return JSON.readTree(response);
    }

    String text() {
        return new String(response, StandardCharsets.UTF_8);
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String basePath() {
        return "";
    }

    @Override
    public String query(String name) {
        return query.get(name);
    }

    @Override
    public String header(String name) {
        return headers.get(name);
    }

    @Override
    public byte[] body(int max) {
        return body;
    }

    @Override
    public InetAddress remoteAddress() {
        return remote;
    }

    @Override
    public boolean secure() {
        return false;
    }

    @Override
    public void respond(int status, String contentType, Map<String, String> headers, byte[] body) {
        this.status = status;
        responseHeaders.putAll(headers);
        responseHeaders.put("Content-Type", contentType);
        this.response = body;
    }

    @Override
    public OutputStream stream(String contentType, Map<String, String> headers) {
        this.status = 200;
        responseHeaders.putAll(headers);
        this.response = new byte[0];
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("the page went away");
            }
        };
    }
}
