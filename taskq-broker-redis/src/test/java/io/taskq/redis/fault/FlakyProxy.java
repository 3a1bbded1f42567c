package io.taskq.redis.fault;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy for tests, on loopback, between a client (the broker) and one server (Redis), with plain sockets and
 * two threads per connection. It can:
 * <ul>
 *   <li>{@link #blackhole()}: stop forwarding in both directions without closing anything, like a pulled cable.
 *       Bytes already read wait in the proxy, the rest in the kernel's socket buffers; {@link #restore()} lets
 *       them through in order, as TCP retransmission would once the cable is back. New connections are accepted
 *       (the kernel completes the handshake) but nothing passes on them either.</li>
 *   <li>{@link #reset()}: abort every connection with a TCP RST to both sides (SO_LINGER 0), like a restarted
 *       NAT or firewall; with {@link #refuse(boolean) refuse(true)} new connections are reset at once too, until
 *       refused no more.</li>
 *   <li>{@link #swallowReplies(boolean)}: forward what the client sends but throw away what the server answers,
 *       like a connection lost after the command reached the server; {@link #reset()} afterwards, as the client's
 *       replies are out of step with its commands from then on.</li>
 * </ul>
 */
public final class FlakyProxy implements AutoCloseable {
    private final InetSocketAddress upstream;
    private final ServerSocket listener;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    /** Sockets cut off for good by {@link #strandExisting()}: nothing passes on them ever again. */
    private final Set<Socket> stranded = ConcurrentHashMap.newKeySet();
    private final Object gate = new Object();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile boolean blackholed;
    private volatile boolean refusing;
    private volatile boolean swallowing;
    private final AtomicInteger swallowed = new AtomicInteger();
    private volatile boolean closed;

    /** Listens on a free loopback port and forwards to {@code host:port}. */
    public FlakyProxy(String host, int port) {
        this.upstream = new InetSocketAddress(host, port);
        try {
            this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Thread t = new Thread(this::acceptLoop, "proxy-accept-" + port());
        t.setDaemon(true);
        t.start();
    }

    /** The port clients connect to. */
    public int port() {
        return listener.getLocalPort();
    }

    /** A {@code redis://} URL through this proxy. */
    public String url() {
        return "redis://127.0.0.1:" + port() + "/0";
    }

    /** Connections accepted so far (reconnects show up here). */
    public int acceptedCount() {
        return accepted.get();
    }

    /** Stops forwarding in both directions; sockets stay open. */
    public void blackhole() {
        blackholed = true;
    }

    /** Forwards again (what waited is delivered), and accepts new connections normally. */
    public void restore() {
        refusing = false;
        synchronized (gate) {
            blackholed = false;
            gate.notifyAll();
        }
    }

    /**
     * Cuts off every open connection for good without closing it, while new connections pass normally: a NAT or
     * stateful firewall that lost its flow table and silently drops packets of the old flows. Only a client that
     * gives up on a silent connection and reconnects gets through.
     */
    public void strandExisting() {
        stranded.addAll(sockets);
    }

    /** Resets every open connection (RST both ways). */
    public void reset() {
        for (Socket s : sockets) {
            abort(s);
        }
    }

    /** While set, the server's replies are thrown away (the client's commands still reach the server). */
    public void swallowReplies(boolean swallow) {
        this.swallowing = swallow;
    }

    /** Bytes of replies thrown away so far. */
    public int swallowedBytes() {
        return swallowed.get();
    }

    /** While set, new connections are reset as soon as they are accepted. */
    public void refuse(boolean refuse) {
        this.refusing = refuse;
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            accepted.incrementAndGet();
            if (refusing) {
                abort(client);
                continue;
            }
            Socket server = new Socket();
            try {
                server.connect(upstream, 2000);
            } catch (IOException e) {
                abort(client);
                closeQuietly(server);
                continue;
            }
            sockets.add(client);
            sockets.add(server);
            pump(client, server, "up");
            pump(server, client, "down");
        }
    }

    private void pump(Socket from, Socket to, String dir) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    awaitOpen();
                    while (stranded.contains(from) && !closed && !from.isClosed()) {
                        Thread.sleep(50);
                    }
                    if (swallowing && dir.equals("down")) {
                        swallowed.addAndGet(n);
                        continue;
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // reset, closed, or the other side went away
            } finally {
                // One side ended: end the other one too (an orderly close stays orderly, a reset is passed on by
                // the reset itself).
                closeQuietly(from);
                closeQuietly(to);
                sockets.remove(from);
                sockets.remove(to);
                stranded.remove(from);
                stranded.remove(to);
            }
        }, "proxy-" + dir + "-" + from.getPort());
        t.setDaemon(true);
        t.start();
    }

    private void awaitOpen() throws InterruptedException {
        if (!blackholed) {
            return;
        }
        synchronized (gate) {
            while (blackholed && !closed) {
                gate.wait(50);
            }
        }
    }

    private static void abort(Socket s) {
        try {
            s.setSoLinger(true, 0);
        } catch (IOException e) {
            // already closed
        }
        closeQuietly(s);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // best effort
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            // best effort
        }
        restore();
        reset();
    }
}
