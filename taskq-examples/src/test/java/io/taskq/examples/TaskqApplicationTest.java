package io.taskq.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.TaskHandle;
import io.taskq.TaskState;
import io.taskq.Taskq;
import io.taskq.examples.app.AppConfig;
import io.taskq.examples.app.AppTasks;
import io.taskq.examples.app.TaskqApplication;
import io.taskq.redis.RedisBroker;
import io.taskq.redis.RedisTestServer;
import io.taskq.redis.cluster.LocalRedis;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The application as systemd runs it: a separate JVM started from the shipped env files' variables, drained by
 * SIGTERM (exit 0), and killed with SIGKILL without losing its task.
 */
class TaskqApplicationTest {
    private static RedisTestServer redis;

    @BeforeAll
    static void startRedis() {
        redis = RedisTestServer.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    /** The variables of a shipped env file, as systemd's EnvironmentFile reads them. */
    static Map<String, String> envFile(String name) throws IOException {
        Map<String, String> env = new HashMap<>();
        for (String line : Files.readAllLines(Path.of("..", "docs", "deploy", name))) {
            String t = line.trim();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            int eq = t.indexOf('=');
            env.put(t.substring(0, eq), t.substring(eq + 1));
        }
        return env;
    }

    /** A running application JVM whose output the test reads. */
    static final class App implements AutoCloseable {
        final Process process;
        final List<String> lines = new CopyOnWriteArrayList<>();

        App(Map<String, String> env) throws IOException {
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), TaskqApplication.class.getName());
            pb.environment().keySet().removeIf(k -> k.startsWith("TASKQ_"));
            pb.environment().putAll(env);
            pb.redirectErrorStream(true);
            process = pb.start();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String l; (l = r.readLine()) != null; ) {
                        lines.add(l);
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        /**
         * Sends SIGTERM as systemd does. Not {@code Process.destroy()}: that also closes the pipes, and the
         * drain's log lines would be lost.
         */
        void sigterm() {
            process.toHandle().destroy();
        }

        void awaitLine(String text) {
            io.taskq.contract.Await.until(Duration.ofSeconds(60), "log line '" + text + "' in " + lines,
                    () -> lines.stream().anyMatch(l -> l.contains(text)));
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    @Test
    void theConfigurationComesFromTheEnvFiles() throws IOException {
        AppConfig live = AppConfig.fromEnv(envFile("live.env"));
        assertEquals("live", live.keyPrefix());
        assertEquals(16, live.concurrency());
        assertTrue(live.runsWorker() && live.runsScheduler());
        assertTrue(AppConfig.fromEnv(envFile("debug.env")).redisUrl().isEmpty());
        Map<String, String> bad = envFile("uat.env");
        bad.put("TASKQ_CONCURRENCY", "lots");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> AppConfig.fromEnv(bad));
        assertTrue(e.getMessage().contains("TASKQ_CONCURRENCY"));
    }

    @Test
    void inMemoryApplicationStopsCleanlyOnSigterm() throws Exception {
        try (App app = new App(envFile("debug.env"))) {
            app.awaitLine("taskq application ready: broker in-memory");
            app.sigterm();
            assertTrue(app.process.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, app.process.exitValue(), String.join("\n", app.lines));
            app.awaitLine("stopped cleanly");
        }
    }

    private Map<String, String> uatOnTestRedis() throws IOException {
        Map<String, String> env = envFile("uat.env");
        env.put("TASKQ_REDIS_URL", redis.url());
        env.put("TASKQ_KEY_PREFIX", "uat-" + System.nanoTime());
        env.put("TASKQ_LEASE_SECONDS", "2");
        env.put("TASKQ_SHUTDOWN_GRACE_SECONDS", "20");
        env.remove("JAVA_OPTS");
        return env;
    }

    /**
     * The shipped files work together as shipped: a Redis server whose {@code --aclfile} is docs/deploy/redis-acl.conf
     * unchanged, and the application started from docs/deploy/uat.env unchanged but for the server's port, log in as
     * the same user with the same password and run a task under the env file's prefix.
     */
    @Test
    void theShippedUatEnvFileWorksWithTheShippedAclFile() throws Exception {
        Path acl = Path.of("..", "docs", "deploy", "redis-acl.conf").toAbsolutePath().normalize();
        try (LocalRedis aclRedis = LocalRedis.server("shipped-acl", "--aclfile", acl.toString())) {
            Map<String, String> env = envFile("uat.env");
            String url = env.get("TASKQ_REDIS_URL");
            assertTrue(url.contains("@127.0.0.1:6379/"), url);
            env.put("TASKQ_REDIS_URL", url.replace("@127.0.0.1:6379/", "@127.0.0.1:" + aclRedis.port() + "/"));
            env.remove("JAVA_OPTS");
            try (RedisBroker broker = RedisBroker.builder().uri(env.get("TASKQ_REDIS_URL"))
                    .keyPrefix(env.get("TASKQ_KEY_PREFIX")).build();
                 Taskq client = Taskq.builder().broker(broker).tasks(new AppTasks()).build();
                 App app = new App(env)) {
                app.awaitLine("taskq application ready: broker redis");
                TaskHandle<String> h = client.submit(AppTasks::render, "owl", 10L);
                assertEquals("owl.png", h.get(Duration.ofSeconds(30)), String.join("\n", app.lines));
            }
        }
    }

    @Test
    void sigtermDrainsTheRunningTaskAndExitsZero() throws Exception {
        Map<String, String> env = uatOnTestRedis();
        try (RedisBroker broker = RedisBroker.builder().uri(redis.url()).keyPrefix(env.get("TASKQ_KEY_PREFIX"))
                .build();
             Taskq client = Taskq.builder().broker(broker).tasks(new AppTasks()).build();
             App app = new App(env)) {
            app.awaitLine("taskq application ready: broker redis");
            TaskHandle<String> h = client.submit(AppTasks::render, "cat", 1500L);
            io.taskq.contract.Await.until(Duration.ofSeconds(30), "started", () -> h.state() == TaskState.STARTED);
            app.sigterm(); // while the task runs
            assertTrue(app.process.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, app.process.exitValue(), String.join("\n", app.lines));
            assertEquals(TaskState.SUCCESS, h.state(), "the running task finished within the grace period");
            assertEquals("cat.png", h.get(Duration.ofSeconds(1)));
        }
    }

    @Test
    void sigkillLosesNothing() throws Exception {
        Map<String, String> env = uatOnTestRedis();
        try (RedisBroker broker = RedisBroker.builder().uri(redis.url()).keyPrefix(env.get("TASKQ_KEY_PREFIX"))
                .build();
             Taskq client = Taskq.builder().broker(broker).tasks(new AppTasks()).build()) {
            TaskHandle<String> h;
            try (App first = new App(env)) {
                first.awaitLine("taskq application ready: broker redis");
                h = client.submit(AppTasks::render, "dog", 60_000L);
                io.taskq.contract.Await.until(Duration.ofSeconds(30), "started",
                        () -> h.state() == TaskState.STARTED);
                first.process.destroyForcibly(); // SIGKILL mid-task
                assertTrue(first.process.waitFor(30, TimeUnit.SECONDS));
            }
            try (App second = new App(env)) {
                second.awaitLine("taskq application ready: broker redis");
                io.taskq.contract.Await.until(Duration.ofSeconds(30), "claimed again after the lease",
                        () -> h.info().attempt() == 2);
                assertTrue(h.revoke(), "the second attempt is running and can be revoked");
                assertEquals(TaskState.REVOKED, awaitFinal(h));
            }
        }
    }

    private static TaskState awaitFinal(TaskHandle<?> h) {
        io.taskq.contract.Await.until(Duration.ofSeconds(30), "final", h::isDone);
        return h.state();
    }
}
