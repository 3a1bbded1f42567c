package io.taskq.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The CLI run as its own process, as an operator runs it: {@code java -jar} of the shaded jar the package phase
 * built (failsafe passes its path in {@code taskq.cli.jar}), or the launcher script, with an environment of its own
 * (no TASKQ_ variable of the test's environment leaks in).
 */
final class CliProcess {
    /** What a finished run printed and returned. */
    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private CliProcess() {
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("taskq.cli.jar", "target/taskq-cli-all.jar"));
        assertTrue(Files.isRegularFile(jar), "the shaded jar " + jar + " (built in package, before the ITs)");
        return jar;
    }

    static Path script() {
        return Path.of(System.getProperty("taskq.cli.script", "src/main/dist/taskq"));
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** {@code java -jar taskq-cli.jar args...} with {@code env}; waits up to a minute. */
    static Result run(Map<String, String> env, String... args) {
        List<String> cmd = new ArrayList<>(List.of(java(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar",
                jar().toString()));
        cmd.addAll(List.of(args));
        return run(cmd, env);
    }

    static Result run(List<String> cmd, Map<String, String> env) {
        Process p = start(cmd, env);
        try {
            p.getOutputStream().close();
            StringBuilder err = new StringBuilder();
            Thread errReader = new Thread(() -> drain(p, err));
            errReader.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("the CLI did not finish in 60 s: " + cmd);
            }
            errReader.join(10_000);
            synchronized (err) {
                return new Result(p.exitValue(), out, err.toString());
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static Process start(List<String> cmd, Map<String, String> env) {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().keySet().removeIf(k -> k.startsWith("TASKQ_"));
        pb.environment().putAll(env);
        try {
            return pb.start();
        } catch (IOException e) {
            throw new AssertionError("cannot start " + cmd + ": " + e, e);
        }
    }

    /** Lines of a running process's stdout, collected on a thread of their own. */
    static List<String> collectLines(Process p) {
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the process ended
            }
        });
        t.setDaemon(true);
        t.start();
        return lines;
    }

    private static void drain(Process p, StringBuilder into) {
        try {
            String s = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            synchronized (into) {
                into.append(s);
            }
        } catch (IOException e) {
            // the process ended
        }
    }
}
