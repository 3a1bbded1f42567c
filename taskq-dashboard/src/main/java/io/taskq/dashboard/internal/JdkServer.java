package io.taskq.dashboard.internal;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** The dashboard on the JDK's built-in HTTP server ({@code com.sun.net.httpserver}), on a thread pool of its own. */
public final class JdkServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService threads;

    private JdkServer(HttpServer server, ExecutorService threads) {
        this.server = server;
        this.threads = threads;
    }

    /** Binds and starts serving {@code app} at {@code address}. */
    public static JdkServer start(DashboardApp app, InetSocketAddress address) {
        // The JDK server writes a response's headers and body apart; without TCP_NODELAY, Nagle's algorithm holds
        // the body until the client's delayed ACK (40 ms on Linux) on every answer. Its only switch is this
        // property, read once when the JVM's first HttpServer starts; an application that set it keeps its value.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        HttpServer server;
        try {
            server = HttpServer.create(address, 64);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + address, e);
        }
        AtomicInteger n = new AtomicInteger();
        // A cached pool: each live-update stream holds a thread while its page is open.
        ExecutorService threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "taskq-dashboard-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        server.createContext("/", exchange -> {
            try {
                app.handle(new JdkExchange(exchange));
            } finally {
                exchange.close();
            }
        });
        server.start();
        return new JdkServer(server, threads);
    }

    /** Where it listens. */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
