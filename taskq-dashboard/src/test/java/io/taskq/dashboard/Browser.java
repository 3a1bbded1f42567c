package io.taskq.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.function.UnaryOperator;

/** A client of a dashboard as a page of it acts: it keeps the session cookie and sends the CSRF token on changes. */
final class Browser {
    private final TaskqDashboard dashboard;
    private String cookie;
    private String csrf;

    Browser(TaskqDashboard dashboard) {
        this.dashboard = dashboard;
    }

    /** Logs in; returns the answer. */
    FakeExchange login(String user, String password) throws IOException {
        FakeExchange ex = send(new FakeExchange("POST", "/api/login")
                .json("{\"user\":\"" + user + "\",\"password\":\"" + password + "\"}"));
        if (ex.status == 200) {
            keep(ex);
        }
        return ex;
    }

    /** Asks for the session (without users: opens the loopback one). */
    FakeExchange session() throws IOException {
        FakeExchange ex = send(new FakeExchange("GET", "/api/session"));
        if (ex.status == 200) {
            keep(ex);
        }
        return ex;
    }

    private void keep(FakeExchange ex) throws IOException {
        String set = ex.responseHeaders.get("Set-Cookie");
        cookie = set.substring(0, set.indexOf(';'));
        csrf = ex.json().get("csrf").asText();
    }

    FakeExchange get(String path) {
        return send(new FakeExchange("GET", path));
    }

    /** A change as the page sends it: JSON body, cookie, CSRF token. */
    FakeExchange change(String method, String path, String json) {
        return change(method, path, json, ex -> ex);
    }

    FakeExchange change(String method, String path, String json, UnaryOperator<FakeExchange> more) {
        FakeExchange ex = new FakeExchange(method, path);
        if (json != null) {
            ex.json(json);
        }
        if (csrf != null) {
            ex.header("X-Taskq-Csrf", csrf);
        }
        return send(more.apply(ex));
    }

    FakeExchange send(FakeExchange ex) {
        if (cookie != null && ex.header("Cookie") == null) {
            ex.header("Cookie", cookie);
        }
        dashboard.app().handle(ex);
        return ex;
    }

    JsonNode json(String path) throws IOException {
        FakeExchange ex = get(path);
        if (ex.status != 200) {
            throw new AssertionError(path + ": " + ex.status + " " + ex.text());
        }
        return ex.json();
    }
}
