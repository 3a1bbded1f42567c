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

/** Starts a {@link ChildWorker} in a JVM of its own, for the tests that kill workers, and waits until it runs. */
final class ChildJvm {
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
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path")));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of(ChildWorker.class.getName(), redisUrl, prefix));
        cmd.addAll(List.of(args));
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
