package io.taskq.dashboard.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;

/** One API call: the exchange, the caller's session (null on an open route), the path parameters and the body. */
final class Call {
    /** Most bytes of a request body (the biggest is a periodic task's definition with its arguments). */
    static final int MAX_BODY = 256 * 1024;

    /** Returned by a handler that wrote its response itself. */
    enum Streamed { DONE }

    final Exchange exchange;
    final Sessions.Session session;
    private final Map<String, String> params;
    private JsonNode body;

    Call(Exchange exchange, Sessions.Session session, Map<String, String> params) {
        this.exchange = exchange;
        this.session = session;
        this.params = params;
    }

    /** A path parameter. */
    String param(String name) {
        return params.get(name);
    }

    /** A query parameter, or null if absent or empty. */
    String query(String name) {
        String v = exchange.query(name);
        return v == null || v.isEmpty() ? null : v;
    }

    /** An integer query parameter in [min, max], or the default; 400 if it is not one. */
    int intQuery(String name, int dflt, int min, int max) {
        String v = query(name);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw ApiException.badRequest(name + " must be " + min + " to " + max + ", was " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + " is not a number: " + v);
        }
    }

    /** The JSON body (an empty body is {@code null}); 400 if it is not JSON. */
    JsonNode body() throws IOException {
        if (body == null) {
            byte[] bytes = exchange.body(MAX_BODY);
            if (bytes.length == 0) {
                body = NullNode.getInstance();
            } else {
                try {
                    body = DashboardJson.MAPPER.readTree(bytes);
                } catch (com.fasterxml.jackson.core.JacksonException e) {
                    throw ApiException.badRequest("the body is not JSON: " + e.getOriginalMessage());
                }
            }
        }
        return body;
    }

    /** A text field of the body, or null if absent, null or empty. */
    String text(String field) throws IOException {
        JsonNode n = body().get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isValueNode()) {
            throw ApiException.badRequest(field + " must be a text, not " + n.getNodeType());
        }
        String s = n.asText();
        return s.isEmpty() ? null : s;
    }

    /** A required text field of the body; 400 if missing. */
    String requiredText(String field) throws IOException {
        String s = text(field);
        if (s == null) {
            throw ApiException.badRequest(field + " is required");
        }
        return s;
    }

    /** A duration field (ISO-8601 or 15m, 2h, 7d); null if absent; 400 if not one. */
    Duration duration(String field) throws IOException {
        return Durations.parse(field, text(field));
    }

    /** Who the scheduler's audit trail names for this call: {@code dashboard:<user>}. */
    String actor() {
        return "dashboard:" + session.user;
    }

    /** Whether this caller sees task arguments. */
    boolean seesArguments(DashboardConfig config) {
        return session.admin() || config.showArgumentsToReadOnly();
    }
}
