package io.taskq.redis.fault;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Starts a worker in a JVM of its own ({@link ChildWorker}, or another main class that prints READY when its worker
 * runs), for the tests that kill workers, and waits until it runs.
 */
public final class ChildJvm {
    private ChildJvm() {
    }

    /**
     * Starts a {@link ChildWorker} with {@code jvmOptions} (system properties it reads) and the given arguments
     * after the Redis URL and prefix, and waits until its worker runs. A dedicated thread (not the common pool,
     * which tests and taskq may keep busy) reads the child's output to the end, so the child never blocks on a full
     * pipe.
     */
    static Process startWorker(String redisUrl, String prefix, List<String> jvmOptions, String... args)
            throws Exception {
        List<String> all = new ArrayList<>(List.of(redisUrl, prefix));
        all.addAll(List.of(args));
        return start(ChildWorker.class, jvmOptions, all);
    }

    /**
     * Starts {@code main} (on this JVM's class path) with {@code jvmOptions} and {@code args} and waits until it
     * prints READY (at most 60 s).
     */
    public static Process start(Class<?> main, List<String> jvmOptions, List<String> args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path")));
        cmd.addAll(jvmOptions);
        cmd.add(main.getName());
        cmd.addAll(args);
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        CompletableFuture<Boolean> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.equals("READY")) {
                        ready.complete(true);
                    }
                }
            } catch (Exception e) {
                // the child is gone
            }
            ready.complete(false);
        }, "child-output");
        reader.setDaemon(true);
        reader.start();
        try {
            assertTrue(ready.get(60, TimeUnit.SECONDS), "child worker did not start");
        } catch (Exception | AssertionError e) {
            child.destroyForcibly();
            throw e;
        }
        return child;
    }
}
