package io.taskq.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A Redis for tests, chosen in this order: the server named by env {@code TASKQ_TEST_REDIS_URL}; a
 * {@code redis-server} binary on PATH, started on a free loopback port (it can be stopped, killed and restarted on
 * the same port); Testcontainers {@code redis:7} when a Docker engine answers. Without any of them the test FAILS
 * with a message saying how to provide one: tests never skip silently.
 */
public final class RedisTestServer implements AutoCloseable {
    /** Env variable naming an external server. */
    public static final String ENV = "TASKQ_TEST_REDIS_URL";

    private final String url;
    private final int port;
    private final Path dir;
    private final List<String> extraArgs;
    private final Object container;
    private Process process;

    private RedisTestServer(String url, int port, Path dir, List<String> extraArgs, Object container) {
        this.url = url;
        this.port = port;
        this.dir = dir;
        this.extraArgs = extraArgs;
        this.container = container;
    }

    /** A server for tests that need no restart: the external one if configured, else a local one. */
    public static RedisTestServer start() {
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            return new RedisTestServer(env.trim(), -1, null, List.of(), null);
        }
        return startLocal(false);
    }

    /**
     * A server this test controls (stop, kill, restart). With {@code persistent} it keeps an append-only file
     * with fsync always, so a restart loses nothing that was acknowledged.
     */
    public static RedisTestServer startLocal(boolean persistent) {
        String binary = findOnPath("redis-server");
        if (binary != null) {
            try {
                int port = freePort();
                Path dir = Files.createTempDirectory("taskq-redis-test");
                List<String> extra = persistent
                        ? List.of("--appendonly", "yes", "--appendfsync", "always", "--save", "")
                        : List.of("--appendonly", "no", "--save", "");
                RedisTestServer s = new RedisTestServer("redis://127.0.0.1:" + port + "/0", port, dir, extra, null);
                s.launch(binary);
                return s;
            } catch (IOException e) {
                throw new IllegalStateException("cannot start redis-server: " + e, e);
            }
        }
        Object c = tryContainer();
        if (c != null) {
            return (RedisTestServer) c;
        }
        throw new AssertionError("No Redis for the tests: set " + ENV + "=redis://host:port/db, put redis-server"
                + " (6.2+) on PATH, or run a Docker engine for Testcontainers (redis:7).");
    }

    private static Object tryContainer() {
        try {
            if (!org.testcontainers.DockerClientFactory.instance().isDockerAvailable()) {
                return null;
            }
            @SuppressWarnings("resource")
            org.testcontainers.containers.GenericContainer<?> c =
                    new org.testcontainers.containers.GenericContainer<>("redis:7").withExposedPorts(6379);
            c.start();
            return new RedisTestServer("redis://" + c.getHost() + ":" + c.getMappedPort(6379) + "/0", -1, null,
                    List.of(), c);
        } catch (Throwable t) {
            return null;
        }
    }

    private static String findOnPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String d : path.split(File.pathSeparator)) {
            File f = new File(d, name);
            if (f.canExecute()) {
                return f.getAbsolutePath();
            }
        }
        return null;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void launch(String binary) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--dir", dir.toString(), "--daemonize", "no", "--protected-mode", "no"));
        cmd.addAll(extraArgs);
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                if (ping()) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
        }
        throw new IOException("redis-server did not start on port " + port + "; see " + dir.resolve("redis.log"));
    }

    private boolean ping() {
        RedisClient c = RedisClient.create(RedisURI.create(url));
        try (StatefulRedisConnection<String, String> conn = c.connect()) {
            return "PONG".equals(conn.sync().ping());
        } catch (RuntimeException e) {
            return false;
        } finally {
            c.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
    }

    /** The URI to connect to. */
    public String url() {
        return url;
    }

    /** Whether this test started the server (so it can stop and restart it). */
    public boolean controllable() {
        return process != null;
    }

    /** Runs commands on a short-lived connection. */
    public void with(Consumer<io.lettuce.core.api.sync.RedisCommands<String, String>> body) {
        RedisClient c = RedisClient.create(RedisURI.create(url));
        try (StatefulRedisConnection<String, String> conn = c.connect()) {
            body.accept(conn.sync());
        } finally {
            c.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
    }

    /** Stops the server hard (SIGKILL); with AOF fsync always nothing acknowledged is lost. */
    public void kill() throws InterruptedException {
        requireControl();
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Starts the server again on the same port and data directory. */
    public void restart() {
        requireControl();
        try {
            launch(process.info().command().orElse(findOnPath("redis-server")));
        } catch (IOException e) {
            throw new IllegalStateException("restart failed: " + e, e);
        }
    }

    private void requireControl() {
        if (process == null) {
            throw new AssertionError("this test needs a redis-server it controls (redis-server on PATH)");
        }
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (container instanceof AutoCloseable ac) {
            try {
                ac.close();
            } catch (Exception e) {
                // best effort
            }
        }
    }
}
