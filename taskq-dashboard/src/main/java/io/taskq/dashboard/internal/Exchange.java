package io.taskq.dashboard.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.util.Map;

/**
 * One HTTP request and its response, whatever serves it (the JDK's server or a servlet container), so that the
 * dashboard's routing, security and API are written once.
 */
public interface Exchange {

    /** GET, POST, PUT, DELETE... */
    String method();

    /**
     * The path below the dashboard's mount, beginning with {@code /} ({@code /api/queues}); empty for the mount
     * itself without its trailing slash.
     */
    String path();

    /** The mount path with no trailing slash ({@code ""} at the server's root, {@code /taskq} under Spring). */
    String basePath();

    /** A query parameter's first value, or null. */
    String query(String name);

    /** A request header, or null. */
    String header(String name);

    /** The request body, at most {@code max} bytes. */
    byte[] body(int max) throws IOException;

    /** The client's address. */
    InetAddress remoteAddress();

    /** Whether the request came over TLS (for the cookie's Secure flag). */
    boolean secure();

    /** Sends a whole response. */
    void respond(int status, String contentType, Map<String, String> headers, byte[] body) throws IOException;

    /** Starts a streamed 200 response (server-sent events); the caller writes, flushes and closes it. */
    OutputStream stream(String contentType, Map<String, String> headers) throws IOException;
}
