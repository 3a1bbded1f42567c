package io.taskq.redis.cluster;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One local redis-server (or redis-sentinel) process for topology tests: started on a free loopback port with the
 * given extra arguments, in its own directory; can be killed and restarted. Uses redis-cli for probes so that the
 * tests do not depend on the code under test.
 */
public final class LocalRedis implements AutoCloseable {
    private final List<String> command;
    private final Path dir;
    private final int port;
    private final List<String> cliArgs;
    private Process process;

    private LocalRedis(List<String> command, Path dir, int port) {
        this(command, dir, port, List.of());
    }

    private LocalRedis(List<String> command, Path dir, int port, List<String> cliArgs) {
        this.command = command;
        this.dir = dir;
        this.port = port;
        this.cliArgs = cliArgs;
    }

    /**
     * Starts redis-server with TLS only (no plain port) on a free port, with this certificate and key; clients
     * are not asked for certificates. redis-cli probes trust {@code caCert}.
     */
    public static LocalRedis tlsServer(Path cert, Path key, Path caCert) {
        try {
            int port = freePort();
            Path dir = Files.createTempDirectory("taskq-tls");
            List<String> cmd = new ArrayList<>(List.of(binary("redis-server"), "--port", "0", "--tls-port",
                    Integer.toString(port), "--tls-cert-file", cert.toString(), "--tls-key-file", key.toString(),
                    "--tls-ca-cert-file", caCert.toString(), "--tls-auth-clients", "no", "--bind", "127.0.0.1",
                    "--dir", dir.toString(), "--daemonize", "no", "--protected-mode", "no", "--save", "",
                    "--appendonly", "no"));
            LocalRedis r = new LocalRedis(cmd, dir, port, List.of("--tls", "--cacert", caCert.toString()));
            r.start();
            return r;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A binary on PATH, or an AssertionError naming it. */
    public static String binary(String name) {
        String path = System.getenv("PATH");
        for (String d : path == null ? new String[0] : path.split(File.pathSeparator)) {
            File f = new File(d, name);
            if (f.canExecute()) {
                return f.getAbsolutePath();
            }
        }
        throw new AssertionError("these tests need " + name + " (Redis 7) on PATH");
    }

    /** A free loopback TCP port. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts redis-server on a free port with these extra arguments (after --port/--dir). */
    public static LocalRedis server(String name, String... extra) {
        return server(name, freePort(), extra);
    }

    /** Starts redis-server on the given port. */
    public static LocalRedis server(String name, int port, String... extra) {
        try {
            Path dir = Files.createTempDirectory("taskq-" + name);
            List<String> cmd = new ArrayList<>(List.of(binary("redis-server"), "--port", Integer.toString(port),
                    "--bind", "127.0.0.1", "--dir", dir.toString(), "--daemonize", "no", "--protected-mode", "no",
                    "--save", "", "--appendonly", "no"));
            cmd.addAll(List.of(extra));
            LocalRedis r = new LocalRedis(cmd, dir, port);
            r.start();
            return r;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts a sentinel on a free port monitoring {@code master} as {@code name} with quorum 2. */
    public static LocalRedis sentinel(String masterName, int masterPort) {
        try {
            int port = freePort();
            Path dir = Files.createTempDirectory("taskq-sentinel");
            Path conf = dir.resolve("sentinel.conf");
            Files.writeString(conf, String.join("\n",
                    "port " + port,
                    "bind 127.0.0.1",
                    "daemonize no",
                    "protected-mode no",
                    "dir " + dir,
                    "sentinel monitor " + masterName + " 127.0.0.1 " + masterPort + " 2",
                    "sentinel down-after-milliseconds " + masterName + " 1000",
                    "sentinel failover-timeout " + masterName + " 5000",
                    "sentinel parallel-syncs " + masterName + " 1",
                    ""), StandardCharsets.UTF_8);
            LocalRedis r = new LocalRedis(List.of(binary("redis-server"), conf.toString(), "--sentinel"), dir, port);
            r.start();
            return r;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void start() {
        try {
            process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile())).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + command + ": " + e, e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis exited; see " + dir.resolve("redis.log"));
            }
            if (cli("PING").contains("PONG")) {
                return;
            }
            sleep(30);
        }
        throw new IllegalStateException("redis did not start on port " + port + "; see " + dir.resolve("redis.log"));
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs redis-cli against this process; returns its output ("" on failure). */
    public String cli(String... args) {
        List<String> cmd = new ArrayList<>(List.of(binary("redis-cli"), "-h", "127.0.0.1", "-p",
                Integer.toString(port)));
        cmd.addAll(cliArgs);
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    /** Runs a command, returns stdout+stderr ("" if it could not run within 30 s). */
    public static String run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "";
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** The port. */
    public int port() {
        return port;
    }

    /** The working directory (logs, configs). */
    public Path dir() {
        return dir;
    }

    /** Whether the process runs. */
    public boolean alive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL. */
    public void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Starts the same command again (same port and directory). */
    public void restart() {
        kill();
        start();
    }

    @Override
    public void close() {
        kill();
    }
}
