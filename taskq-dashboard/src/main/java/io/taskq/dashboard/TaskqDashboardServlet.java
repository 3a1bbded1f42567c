package io.taskq.dashboard;

import io.taskq.dashboard.internal.ServletExchange;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;

/**
 * The dashboard as a servlet, for a Servlet container or Spring Boot (the taskq starter registers it at
 * {@code taskq.dashboard.path}): map it to {@code /some/path/*} and the dashboard is at {@code /some/path/}. The
 * container's address rules; the dashboard's own rules hold as on its own server: without users it answers loopback
 * clients only, with users every request needs a login. Needs the Servlet API 6 (jakarta).
 */
public class TaskqDashboardServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final transient TaskqDashboard dashboard;

    /** A servlet serving {@code dashboard} (which need not be {@link TaskqDashboard#start() started}). */
    public TaskqDashboardServlet(TaskqDashboard dashboard) {
        this.dashboard = Objects.requireNonNull(dashboard, "dashboard");
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        dashboard.app().handle(new ServletExchange(req, resp));
    }
}
