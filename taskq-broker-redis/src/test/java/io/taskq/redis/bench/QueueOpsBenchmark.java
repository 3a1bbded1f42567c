package io.taskq.redis.bench;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.taskq.DeadLetterFilter;
import io.taskq.Task;
import io.taskq.TaskError;
import io.taskq.TaskRequest;
import io.taskq.TaskState;
import io.taskq.Taskq;
import io.taskq.internal.Paging;
import io.taskq.redis.RedisBroker;
import io.taskq.spi.ClaimRequest;
import io.taskq.spi.DeadLetterPage;
import io.taskq.spi.Delivery;
import io.taskq.spi.Outcome;
import io.taskq.spi.TaskLocation.Place;
import io.taskq.spi.TaskPage;
import io.taskq.spi.TaskPage.Order;
import io.taskq.spi.TaskRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The cost of the queue operations on a large queue, against a Redis of its own (start one on a free port, without
 * persistence, e.g. {@code redis-server --port 6431 --save '' --appendonly no}):
 *
 * <pre>mvn -q -pl taskq-broker-redis -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt \
 *     -Dmdep.includeScope=test
 * java -cp taskq-broker-redis/target/test-classes:taskq-broker-redis/target/classes:$(cat /tmp/cp.txt) \
 *     io.taskq.redis.bench.QueueOpsBenchmark redis://127.0.0.1:6431/0 1000000 100000</pre>
 *
 * Fills one queue with N ready tasks (all ten priority bands) and another with D dead letters (two task names, two
 * error types), then times stats, listings (first and deep pages), dead-letter listing and searches, bulk delete
 * and resubmit by filter, and the purge of the N tasks. For each it prints the client's time, the script calls and
 * their time in Redis (INFO commandstats), the CPU time of Redis's main thread (INFO cpu: the work itself, which a
 * busy machine does not inflate as it does wall times), the Redis commands run (those inside scripts too), the
 * median, 99th percentile and longest script call (SLOWLOG, logging every command), and the longest PING round trip
 * that another connection saw meanwhile (1 ms apart): what other clients waited.
 * Sets slowlog-log-slower-than 0 on that server: use a server of its own.
 */
public final class QueueOpsBenchmark {
    private static final String QUEUE = "big";
    private static final String DEAD = "dead";

    /** The benchmark's tasks (never run: they only name the messages). */
    public static class OpsTasks {
        /** A task. */
        @Task(name = "ops.a")
        public void a(int n) {
        }

        /** Another task. */
        @Task(name = "ops.b")
        public void b(int n) {
        }
    }

    private final RedisCommands<String, String> redis;
    private final RedisCommands<String, String> pingConn;

    private QueueOpsBenchmark(RedisCommands<String, String> redis, RedisCommands<String, String> ping) {
        this.redis = redis;
        this.pingConn = ping;
    }

    public static void main(String[] args) throws Exception {
        String url = args.length > 0 ? args[0] : "redis://127.0.0.1:6431/0";
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        int d = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        RedisClient client = RedisClient.create(url);
        try (StatefulRedisConnection<String, String> c1 = client.connect();
             StatefulRedisConnection<String, String> c2 = client.connect()) {
            new QueueOpsBenchmark(c1.sync(), c2.sync()).run(url, n, d);
        } finally {
            client.shutdown();
        }
    }

    private void run(String url, int n, int d) throws Exception {
        String prefix = "qops-" + System.nanoTime();
        try (RedisBroker broker = RedisBroker.builder().uri(url).keyPrefix(prefix)
                .deadLetterMaxCount(Math.max(10_000, d)).build();
             Taskq taskq = Taskq.builder().broker(broker).tasks(new OpsTasks()).events(false).build()) {
            long t0 = System.nanoTime();
            fill(taskq, QUEUE, n);
            System.out.printf(Locale.ROOT, "filled %,d ready tasks in %.1f s; used_memory %s%n", n,
                    (System.nanoTime() - t0) / 1e9, info("memory", "used_memory_human"));
            t0 = System.nanoTime();
            deadLetters(taskq, broker, d);
            System.out.printf(Locale.ROOT, "filled %,d dead letters in %.1f s%n", d, (System.nanoTime() - t0) / 1e9);
            redis.configSet("slowlog-log-slower-than", "0");
            redis.configSet("slowlog-max-len", "200000");
            System.out.println("operation | calls | client ms per call (median / max) | script calls | script ms"
                    + " | Redis CPU ms | Redis commands (in scripts too) | script call µs (median / p99 / max)"
                    + " | longest PING meanwhile (ms) | result");
            repeat("stats (with oldest age, result in ms)", 20, () -> broker.stats(QUEUE).oldestReadyAge().toMillis());
            repeat("tasks QUEUED first page (100, oldest first)", 20, () -> page(broker, Order.OLDEST_FIRST, 0));
            repeat("tasks QUEUED first page (100, newest first)", 20, () -> page(broker, Order.NEWEST_FIRST, 0));
            repeat(String.format(Locale.ROOT, "tasks QUEUED deep page (100 at %,d, oldest first)", n * 9L / 10), 20,
                    () -> page(broker, Order.OLDEST_FIRST, n * 9L / 10));
            repeat("tasks DEAD first page (100, newest first)", 20, () -> broker.tasks(DEAD, Place.DEAD,
                    Order.NEWEST_FIRST, 100, null).tasks().size());
            repeat("deadLetters (100, newest first)", 20, () -> broker.deadLetters(DEAD, 100).size());
            DeadLetterFilter rare = DeadLetterFilter.builder().task("ops.a").errorType("java.net.ConnectException")
                    .build();
            repeat("findDeadLetters one step (task + error type, limit 100)", 20,
                    () -> broker.findDeadLetters(DEAD, rare, 100, null).deadLetters().size());
            once("findDeadLetters whole search (task + error type, pages of 500)", () -> {
                long found = 0;
                String cursor = null;
                do {
                    DeadLetterPage p = broker.findDeadLetters(DEAD, rare, 500, cursor);
                    found += p.deadLetters().size();
                    cursor = p.next();
                } while (cursor != null);
                return found;
            });
            once("deleteDeadLetters (error type, every match)", () -> broker.deleteDeadLetters(DEAD,
                    DeadLetterFilter.builder().errorType("java.lang.IllegalStateException").build(), Long.MAX_VALUE));
            once("Taskq.resubmitDeadLetters (task ops.b, limit 10,000)", () -> taskq.resubmitDeadLetters(DEAD,
                    DeadLetterFilter.builder().task("ops.b").build(), 10_000));
            once("purge (" + String.format(Locale.ROOT, "%,d", n) + " ready tasks)", () -> broker.purge(QUEUE));
            repeat("stats after the purge", 5, () -> broker.stats(QUEUE).ready());
            System.out.printf(Locale.ROOT, "after: used_memory %s, keys %d%n", info("memory", "used_memory_human"),
                    redis.dbsize());
        } finally {
            List<String> keys = redis.keys("*" + prefix + "*");
            for (int i = 0; i < keys.size(); i += 100) {
                redis.unlink(keys.subList(i, Math.min(keys.size(), i + 100)).toArray(new String[0]));
            }
        }
    }

    private static void fill(Taskq taskq, String queue, int n) {
        List<TaskRequest<?>> batch = new ArrayList<>(1000);
        for (int i = 0; i < n; i++) {
            batch.add(TaskRequest.of(OpsTasks::a, i).queue(queue).priority(i % 10));
            if (batch.size() == 1000 || i == n - 1) {
                taskq.submitAll(batch);
                batch.clear();
            }
        }
    }

    /** d dead letters: ops.a and ops.b alternately, every third failed with a ConnectException. */
    private static void deadLetters(Taskq taskq, RedisBroker broker, int d) throws InterruptedException {
        List<TaskRequest<?>> batch = new ArrayList<>(1000);
        for (int i = 0; i < d; i++) {
            batch.add(i % 2 == 0 ? TaskRequest.of(OpsTasks::a, i).queue(DEAD) : TaskRequest.of(OpsTasks::b, i)
                    .queue(DEAD));
            if (batch.size() == 1000 || i == d - 1) {
                taskq.submitAll(batch);
                batch.clear();
            }
        }
        int i = 0;
        while (true) {
            List<Delivery> ds = broker.claim(new ClaimRequest("bench", List.of(DEAD), 1000, Duration.ofMinutes(5),
                    Duration.ZERO));
            if (ds.isEmpty()) {
                return;
            }
            List<Outcome> dead = new ArrayList<>();
            for (Delivery x : ds) {
                String error = i++ % 3 == 0 ? "java.net.ConnectException: Connection refused"
                        : "java.lang.IllegalStateException: no";
                String reason = "failed after 4 attempts (max retries 3): " + error;
                dead.add(Outcome.dead(x, new TaskRecord(x.id(), DEAD, x.task(), TaskState.FAILURE, null,
                        new TaskError(error.substring(0, error.indexOf(':')), "", ""), 3, 4, "bench",
                        java.time.Instant.now(), reason), reason));
            }
            broker.finishAndClaim(List.of(), java.time.Instant.now(), dead, null);
        }
    }

    private static long page(RedisBroker broker, Order order, long offset) {
        TaskPage p = broker.tasks(QUEUE, Place.QUEUED, order, 100, offset == 0 ? null
                : Paging.cursor(new long[] {offset}));
        return p.tasks().size();
    }

    private void repeat(String name, int times, LongSupplier op) throws InterruptedException {
        measure(name, times, op);
    }

    private void once(String name, LongSupplier op) throws InterruptedException {
        measure(name, 1, op);
    }

    private void measure(String name, int times, LongSupplier op) throws InterruptedException {
        redis.configResetstat();
        redis.slowlogReset();
        double cpuBefore = redisCpuMs();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong maxPing = new AtomicLong();
        Thread pinger = new Thread(() -> {
            while (!stop.get()) {
                long t = System.nanoTime();
                pingConn.ping();
                maxPing.accumulateAndGet(System.nanoTime() - t, Math::max);
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        pinger.start();
        long[] nanos = new long[times];
        long result = 0;
        for (int i = 0; i < times; i++) {
            long t = System.nanoTime();
            result = op.getAsLong();
            nanos[i] = System.nanoTime() - t;
        }
        stop.set(true);
        pinger.join();
        java.util.Arrays.sort(nanos);
        long[] redisCost = commandStats();
        double cpuMs = redisCpuMs() - cpuBefore;
        List<Long> scriptUs = new ArrayList<>();
        for (Object e : redis.slowlogGet(200_000)) {
            List<?> entry = (List<?>) e;
            String cmd = String.valueOf(((List<?>) entry.get(3)).get(0)).toUpperCase(Locale.ROOT);
            if (cmd.startsWith("FCALL") || cmd.startsWith("EVAL")) {
                scriptUs.add((Long) entry.get(2));
            }
        }
        scriptUs.sort(null);
        int k = scriptUs.size();
        long p50 = k == 0 ? 0 : scriptUs.get(k / 2);
        long p99 = k == 0 ? 0 : scriptUs.get(Math.min(k - 1, k * 99 / 100));
        long max = k == 0 ? 0 : scriptUs.get(k - 1);
        System.out.printf(Locale.ROOT,
                "%s | %d | %.2f / %.2f | %,d | %.1f | %.1f | %,d | %,d / %,d / %,d | %.2f | %,d%n", name, times,
                nanos[times / 2] / 1e6, nanos[times - 1] / 1e6, redisCost[0], redisCost[1] / 1e3, cpuMs, redisCost[2],
                p50, p99, max, maxPing.get() / 1e6, result);
    }

    /** CPU time of Redis's main thread so far (INFO cpu), ms: the work of the commands, whatever else runs. */
    private double redisCpuMs() {
        return (Double.parseDouble(info("cpu", "used_cpu_user_main_thread"))
                + Double.parseDouble(info("cpu", "used_cpu_sys_main_thread"))) * 1e3;
    }

    /**
     * Since the last reset: script calls (FCALL, EVALSHA, EVAL) and their µs, and the calls of every command (those
     * the scripts run included) but PING, SLOWLOG, CONFIG and INFO.
     */
    private long[] commandStats() {
        long[] out = new long[3];
        for (String line : redis.info("commandstats").split("\r?\n")) {
            if (!line.startsWith("cmdstat_") || line.startsWith("cmdstat_ping:") || line.startsWith("cmdstat_slowlog")
                    || line.startsWith("cmdstat_config") || line.startsWith("cmdstat_info")) {
                continue;
            }
            boolean script = line.startsWith("cmdstat_fcall") || line.startsWith("cmdstat_eval");
            for (String kv : line.substring(line.indexOf(':') + 1).split(",")) {
                if (kv.startsWith("calls=")) {
                    long calls = Long.parseLong(kv.substring(6));
                    out[2] += calls;
                    out[0] += script ? calls : 0;
                } else if (kv.startsWith("usec=") && script) {
                    out[1] += Long.parseLong(kv.substring(5));
                }
            }
        }
        return out;
    }

    private String info(String section, String field) {
        for (String line : redis.info(section).split("\r?\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1);
            }
        }
        return "?";
    }
}
