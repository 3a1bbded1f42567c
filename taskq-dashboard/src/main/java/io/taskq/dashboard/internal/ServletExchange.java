package io.taskq.dashboard.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.util.Map;

/** An {@link Exchange} of a servlet container: the dashboard is at the servlet's context and servlet path. */
public final class ServletExchange implements Exchange {
    private final HttpServletRequest req;
    private final HttpServletResponse resp;

    /** The exchange of one servlet call. */
    public ServletExchange(HttpServletRequest req, HttpServletResponse resp) {
        this.req = req;
        this.resp = resp;
    }

    @Override
    public String method() {
        return req.getMethod();
    }

    @Override
    public String path() {
        // No path info: the mount itself (/taskq), which the app redirects to /taskq/ so relative links work.
        String p = req.getPathInfo();
        return p == null ? "" : p;
    }

    @Override
    public String basePath() {
        String base = req.getContextPath() + req.getServletPath();
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    @Override
    public String query(String name) {
        return req.getParameter(name);
    }

    @Override
    public String header(String name) {
        return req.getHeader(name);
    }

    @Override
    public byte[] body(int max) throws IOException {
        return QueryString.readAtMost(req.getInputStream(), max);
    }

    @Override
    public InetAddress remoteAddress() {
        try {
            return InetAddress.getByName(req.getRemoteAddr());
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("the container gave no client address: " + req.getRemoteAddr(), e);
        }
    }

    @Override
    public boolean secure() {
        return req.isSecure();
    }

    @Override
    public void respond(int status, String contentType, Map<String, String> headers, byte[] body) throws IOException {
        resp.setStatus(status);
        headers.forEach(resp::addHeader);
        resp.setContentType(contentType);
        resp.setContentLength(body.length);
        if (body.length > 0 && !method().equals("HEAD")) {
            resp.getOutputStream().write(body);
        }
    }

    @Override
    public OutputStream stream(String contentType, Map<String, String> headers) throws IOException {
        resp.setStatus(200);
        headers.forEach(resp::addHeader);
        resp.setContentType(contentType);
        resp.flushBuffer();
        return resp.getOutputStream();
    }
}
