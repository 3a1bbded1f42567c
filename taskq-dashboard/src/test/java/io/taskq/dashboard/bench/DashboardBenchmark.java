package io.taskq.dashboard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskq.Task;
import io.taskq.TaskRequest;
import io.taskq.Taskq;
import io.taskq.WorkerOptions;
import io.taskq.dashboard.TaskqDashboard;
import io.taskq.redis.RedisBackend;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How fast the dashboard's pages answer on a queue of 1,000,000 tasks, against a Redis of its own (start one on a
 * free port, without persistence, e.g. {@code redis-server --port 6433 --save '' --appendonly no}):
 *
 * <pre>mvn -q -pl taskq-dashboard -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt \
 *     -Dmdep.includeScope=test
 * java -cp taskq-dashboard/target/test-classes:taskq-dashboard/target/classes:$(cat /tmp/cp.txt) \
 *     io.taskq.dashboard.bench.DashboardBenchmark redis://127.0.0.1:6433/0 1000000 10000</pre>
 *
 * Fills queue "big" with N ready tasks (one in 10,000 of another task name) and queue "dead" with D dead letters
 * (failed by a worker), starts a dashboard on the JDK server and times each API call the pages make, as the page
 * makes it (HTTP on loopback, JSON answer read whole): median, 95th percentile and longest of 30 calls after 5 for
 * warm-up. Prints a Markdown table for docs/performance.md.
 */
public final class DashboardBenchmark {
    private static final int CALLS = 30;
    private static final int WARMUP = 5;

    /** The benchmark's tasks. */
    public static class BenchTasks {
        /** Never run in queue "big" (no worker consumes it). */
        @Task(name = "bench.common")
        public void common(int n) {
        }

        /** The rare name a filtered listing looks for. */
        @Task(name = "bench.rare")
        public void rare(int n) {
        }

        /** Always fails: a dead letter. */
        @Task(name = "bench.fail")
        public void fail(int n) {
            throw new IllegalStateException("failed " + n);
        }
    }

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private URI base;
    private String cookie;

    public static void main(String[] args) throws Exception {
        String url = args.length > 0 ? args[0] : "redis://127.0.0.1:6433/0";
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        int d = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        new DashboardBenchmark().run(url, n, d);
    }

    private void run(String url, int n, int d) throws Exception {
        String prefix = "dbench-" + System.nanoTime();
        try (RedisBackend backend = RedisBackend.builder().uri(url).keyPrefix(prefix).build();
             Taskq taskq = Taskq.builder().broker(backend.broker()).tasks(new BenchTasks()).argsRepr(100).build()) {
            long t0 = System.nanoTime();
            String middle = fill(taskq, n);
            System.out.printf(Locale.ROOT, "filled %,d ready tasks in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
            t0 = System.nanoTime();
            deadLetters(taskq, d);
            System.out.printf(Locale.ROOT, "%,d dead letters in %.1f s%n", d, (System.nanoTime() - t0) / 1e9);
            try (TaskqDashboard dashboard = TaskqDashboard.builder().taskq(taskq).port(0).build().start()) {
                base = dashboard.uri();
                cookie = http.send(HttpRequest.newBuilder(base.resolve("api/session")).build(),
                        HttpResponse.BodyHandlers.discarding()).headers().firstValue("Set-Cookie").orElseThrow()
                        .split(";")[0];
                measureAll(middle);
            }
        }
    }

    private void measureAll(String middle) throws Exception {
        System.out.println("| page | API call | median ms | p95 ms | max ms | answer |");
        System.out.println("| --- | --- | --- | --- | --- | --- |");
        time("every page", "/ (index.html)", "");
        time("overview", "GET /api/overview", "api/overview");
        time("queues", "GET /api/queues", "api/queues");
        time("workers", "GET /api/workers", "api/workers");
        time("tasks", "first page of 50, oldest first", "api/tasks?queue=big&state=queued&limit=50");
        time("tasks", "first page of 50, newest first", "api/tasks?queue=big&state=queued&limit=50&order=newest");
        String cursor = null;
        for (int i = 0; i < 20; i++) {
            cursor = get("api/tasks?queue=big&state=queued&limit=50" + (cursor == null ? "" : "&cursor="
                    + URLEncoder.encode(cursor, StandardCharsets.UTF_8))).get("next").asText();
        }
        time("tasks", "page 21 of 50 (by cursor)", "api/tasks?queue=big&state=queued&limit=50&cursor="
                + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
        time("tasks", "filtered by a rare name (reads 10 pages of 500)",
                "api/tasks?queue=big&state=queued&name=bench.rare&limit=50");
        time("task", "one task by id (lookup in every queue, timeline from the event stream)", "api/tasks/" + middle);
        time("dead letters", "first 50, newest first", "api/dead?queue=dead&limit=50");
        time("dead letters", "filtered by task and error type (search steps)",
                "api/dead?queue=dead&task=bench.fail&errorType=java.lang.IllegalStateException&limit=50");
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(base.resolve(path)).header("Cookie", cookie).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(path + ": " + r.statusCode() + " " + new String(r.body(),
                    StandardCharsets.UTF_8));
        }
        return path.startsWith("api/") ? json.readTree(r.body()) : null;
    }

    private void time(String page, String call, String path) throws Exception {
        JsonNode last = null;
        for (int i = 0; i < WARMUP; i++) {
            get(path);
        }
        double[] ms = new double[CALLS];
        for (int i = 0; i < CALLS; i++) {
            long t = System.nanoTime();
            last = get(path);
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        System.out.printf(Locale.ROOT, "| %s | %s | %.1f | %.1f | %.1f | %s |%n", page, call, ms[CALLS / 2],
                ms[(int) Math.ceil(CALLS * 0.95) - 1], ms[CALLS - 1], describe(last));
    }

    private static String describe(JsonNode answer) {
        if (answer == null) {
            return "HTML";
        }
        if (answer.has("tasks") && answer.get("tasks").isArray()) {
            return answer.get("tasks").size() + " tasks, " + answer.get("scanned").asInt() + " read";
        }
        if (answer.has("deadLetters")) {
            return answer.get("deadLetters").size() + " dead letters";
        }
        if (answer.has("timeline")) {
            return answer.get("state").asText() + ", " + answer.get("timeline").get("scanned").asInt()
                    + " events searched";
        }
        if (answer.has("totals")) {
            return answer.get("totals").get("ready").asLong() + " ready";
        }
        return answer.isArray() ? answer.size() + " entries" : "object";
    }

    /** N tasks in "big", in batches of 1,000; returns the id of the one in the middle. */
    private static String fill(Taskq taskq, int n) {
        List<TaskRequest<?>> batch = new ArrayList<>(1000);
        String middle = null;
        for (int i = 0; i < n; i++) {
            batch.add(TaskRequest.named(i % 10_000 == 0 ? "bench.rare" : "bench.common", i).queue("big"));
            if (batch.size() == 1000 || i == n - 1) {
                var handles = taskq.submitAll(batch);
                if (middle == null && i >= n / 2) {
                    middle = handles.get(0).id();
                }
                batch.clear();
            }
        }
        return middle;
    }

    /** D dead letters, failed by a worker of queue "dead". */
    private static void deadLetters(Taskq taskq, int d) throws InterruptedException {
        List<TaskRequest<?>> batch = new ArrayList<>(1000);
        for (int i = 0; i < d; i++) {
            batch.add(TaskRequest.named("bench.fail", i).queue("dead"));
            if (batch.size() == 1000 || i == d - 1) {
                taskq.submitAll(batch);
                batch.clear();
            }
        }
        taskq.startWorker(WorkerOptions.builder().queues("dead").concurrency(8).build());
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (taskq.stats("dead").dead() < d) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the dead letters did not come within 10 minutes");
            }
            Thread.sleep(200);
        }
    }
}
