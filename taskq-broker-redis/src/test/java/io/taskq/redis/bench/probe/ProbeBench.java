package io.taskq.redis.bench.probe;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.taskq.Control;
import io.taskq.TaskHandle;
import io.taskq.TaskRequest;
import io.taskq.Taskq;
import io.taskq.Worker;
import io.taskq.WorkerOptions;
import io.taskq.redis.RedisBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The side-by-side workload of docs/performance.md ("taskq beside BullMQ and Sidekiq"): every task is a probe
 * whose body reads the monotonic clock and does one RPUSH with the worker's own Redis connection, so each task
 * costs one real Redis round trip as real tasks do. Producer ("drive") and worker are separate JVMs; {@code bench/side-by-side/run.sh}
 * starts them, alternating with the same workload on BullMQ ({@code bench/side-by-side/bullmq-probe.mjs}) and on
 * Sidekiq ({@code bench/side-by-side/sidekiq-probe.rb}).
 *
 * <pre>
 * ProbeBench worker URL PREFIX CONCURRENCY          runs a worker until killed
 * ProbeBench drive URL PREFIX process WARMUP N      warm-up tasks, then N queued while paused, released at once
 * ProbeBench drive URL PREFIX latency RATE SECONDS [WARM]  paced submits, submit-to-start percentiles, after WARM
 *                                                   seconds (default 5) at four times the rate
 * ProbeBench drive URL PREFIX one N                 one-by-one submits from one thread (warm), no worker consuming
 * ProbeBench drive URL PREFIX bulk N                submitAll of 1,000 at a time (warm), no worker consuming
 * ProbeBench drive URL PREFIX rt SECONDS            sequential submit then result, one thread (warm)
 * ProbeBench drive URL PREFIX phases SECONDS        the same, split: submit call, submit to start, start to result
 * </pre>
 *
 * <p>{@code -Dprobe.dump=DIR} (latency): the producer writes every measured probe to {@code DIR/probes.txt}
 * (submitted, submit call returned, started; nanoseconds) and {@code DIR/producer-start.txt}, the worker
 * {@code DIR/worker-start.txt}: each JVM's start on the monotonic clock, so that their {@code -Xlog:gc,safepoint}
 * logs (uptime-stamped) line up with the probes ({@code bench/side-by-side/tail.py} does it).
 *
 * Prints one {@code RESULT} line per measurement. System.nanoTime is CLOCK_MONOTONIC on Linux, one clock for every
 * process of the host, so a time taken by the producer JVM and one taken by the worker JVM can be subtracted.
 */
public final class ProbeBench {
    static final String QUEUE = "default";

    private ProbeBench() {
    }

    /** The entry point: {@code worker ...} or {@code drive ...} (see the class comment). */
    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            throw new IllegalArgumentException("usage: worker URL PREFIX CONCURRENCY | drive URL PREFIX SCENARIO ...");
        }
        String url = args[1];
        String prefix = args[2];
        if (args[0].equals("worker")) {
            worker(url, prefix, Integer.parseInt(args[3]));
        } else {
            dumpJvmStart("producer-start.txt");
            Driver d = new Driver(url, prefix);
            try {
                d.run(Arrays.copyOfRange(args, 3, args.length));
            } finally {
                d.close();
            }
            System.exit(0);
        }
    }

    /**
     * What the probes cost this worker JVM over its life (warm-up included): CPU of the whole process (JIT compiler
     * and GC threads too), CPU of its Java threads, and bytes allocated by its live threads, each per probe run.
     * Steadier than tasks/s on a busy machine, and what an A/B of two builds compares.
     */
    private static void costs() {
        long n = Math.max(1, ProbeTasks.RUN.get());
        long process = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] ids = threads.getAllThreadIds();
        long cpu = Arrays.stream(threads.getThreadCpuTime(ids)).filter(t -> t > 0).sum();
        long bytes = Arrays.stream(threads.getThreadAllocatedBytes(ids)).filter(b -> b > 0).sum();
        System.out.printf(Locale.ROOT, "COSTS probes=%d process-cpu-us=%.1f java-threads-cpu-us=%.1f alloc-bytes=%d"
                + " (per probe)%n", n, process / 1e3 / n, cpu / 1e3 / n, bytes / n);
    }

    /** Writes this JVM's start on the monotonic clock (ns) to the dump directory, if one is set. */
    static void dumpJvmStart(String file) {
        String dir = System.getProperty("probe.dump");
        if (dir == null) {
            return;
        }
        long uptimeNanos = TimeUnit.MILLISECONDS.toNanos(ManagementFactory.getRuntimeMXBean().getUptime());
        try {
            Files.createDirectories(Path.of(dir));
            Files.writeString(Path.of(dir, file), Long.toString(System.nanoTime() - uptimeNanos) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String outKey(String prefix) {
        return prefix + ":probe:out";
    }

    /** {@code -Dprobe.events=false}: producer and worker publish no task events (to measure what they cost). */
    private static final boolean EVENTS = !"false".equals(System.getProperty("probe.events"));

    private static RedisBroker broker(String url, String prefix) {
        return RedisBroker.builder().uri(url).keyPrefix(prefix).build();
    }

    private static void worker(String url, String prefix, int concurrency) throws InterruptedException {
        RedisClient client = RedisClient.create(url);
        StatefulRedisConnection<String, String> conn = client.connect();
        Taskq taskq = Taskq.builder().broker(broker(url, prefix)).events(EVENTS)
                .tasks(new ProbeTasks(conn.sync(), outKey(prefix))).build();
        Worker w = taskq.startWorker(WorkerOptions.builder().concurrency(concurrency).build());
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            costs();
            w.close();
            taskq.close();
            conn.close();
            client.shutdown();
            stop.countDown();
        }));
        dumpJvmStart("worker-start.txt");
        System.out.println("worker " + w.id() + " ready, concurrency " + concurrency);
        stop.await();
    }

    /** The producer side: submits, pauses and resumes the worker by remote control, reads the probes' records. */
    static final class Driver implements AutoCloseable {
        private final RedisClient client;
        private final StatefulRedisConnection<String, String> conn;
        private final RedisCommands<String, String> redis;
        private final Taskq taskq;
        private final String out;

        Driver(String url, String prefix) {
            client = RedisClient.create(url);
            conn = client.connect();
            redis = conn.sync();
            taskq = Taskq.builder().broker(broker(url, prefix)).events(EVENTS).tasks(new ProbeTasks(null, null)).build();
            out = outKey(prefix);
        }

        void run(String[] a) throws InterruptedException {
            switch (a[0]) {
                case "process" -> process(Integer.parseInt(a[1]), Integer.parseInt(a[2]));
                case "latency" -> latency(Integer.parseInt(a[1]), Integer.parseInt(a[2]),
                        a.length > 3 ? Integer.parseInt(a[3]) : Math.max(5, Integer.parseInt(a[2]) / 2));
                case "one" -> one(Integer.parseInt(a[1]));
                case "bulk" -> bulk(Integer.parseInt(a[1]));
                case "rt" -> roundTrips(Integer.parseInt(a[1]));
                case "phases" -> phases(Integer.parseInt(a[1]));
                default -> throw new IllegalArgumentException("unknown scenario " + a[0]);
            }
        }

        private void awaitWorker() {
            await(60, "a worker", () -> !taskq.workers().isEmpty());
        }

        private void pause(boolean pause) {
            Control c = taskq.control().timeout(Duration.ofSeconds(5));
            Map<String, Control.Reply<Boolean>> replies = pause ? c.pause(QUEUE) : c.resume(QUEUE);
            if (replies.isEmpty() || !replies.values().stream().allMatch(Control.Reply::ok)) {
                throw new IllegalStateException((pause ? "pause" : "resume") + " not acknowledged: " + replies);
            }
        }

        private void submitProbes(int n, long arg) {
            List<TaskRequest<?>> batch = new ArrayList<>(1000);
            for (int i = 0; i < n; i++) {
                batch.add(TaskRequest.of(ProbeTasks::probe, arg));
                if (batch.size() == 1000 || i == n - 1) {
                    taskq.submitAll(batch);
                    batch.clear();
                }
            }
        }

        private void drain(int n) {
            await(600, n + " probes", () -> redis.llen(out) >= n);
        }

        private void process(int warmup, int n) {
            awaitWorker();
            if (warmup > 0) {
                submitProbes(warmup, 0);
                drain(warmup);
            }
            redis.del(out);
            pause(true);
            submitProbes(n, 0);
            pause(false);
            drain(n);
            long[] starts = redis.lrange(out, 0, -1).stream().mapToLong(r -> Long.parseLong(r.split(" ")[0]))
                    .sorted().toArray();
            double secs = (starts[starts.length - 1] - starts[0]) / 1e9;
            result("process-" + n + "-after-" + warmup, n / secs, "tasks/s");
        }

        private void latency(int rate, int seconds, int warmup) {
            awaitWorker();
            // The same path at four times the rate first, so that the JIT has compiled what is measured (a cold
            // JVM's first seconds measure compilation; 5 s, the default, is not enough for a JVM on 2 cores).
            paced(4 * rate, 4 * rate * warmup);
            drain(4 * rate * warmup);
            redis.del(out);
            int n = rate * seconds;
            Map<Long, Long> returned = paced(rate, n);
            drain(n);
            List<long[]> probes = redis.lrange(out, 0, -1).stream().map(r -> {
                String[] p = r.split(" ");
                long submitted = Long.parseLong(p[1]);
                return new long[] {submitted, returned.get(submitted), Long.parseLong(p[0])};
            }).sorted(Comparator.comparingLong(p -> p[0])).toList();
            String what = "latency-" + rate + "/s";
            percentiles(what, probes.stream().mapToLong(p -> p[2] - p[0]).sorted().toArray());
            percentiles(what + "-submit-call", probes.stream().mapToLong(p -> p[1] - p[0]).sorted().toArray());
            dumpProbes(probes);
        }

        private static void percentiles(String what, long[] sorted) {
            result(what + "-p50", sorted[sorted.length / 2] / 1e6, "ms");
            result(what + "-p99", sorted[(int) (sorted.length * 0.99)] / 1e6, "ms");
            result(what + "-p99.9", sorted[(int) (sorted.length * 0.999)] / 1e6, "ms");
        }

        private static void dumpProbes(List<long[]> probes) {
            String dir = System.getProperty("probe.dump");
            if (dir == null) {
                return;
            }
            StringBuilder b = new StringBuilder();
            for (long[] p : probes) {
                b.append(p[0]).append(' ').append(p[1]).append(' ').append(p[2]).append('\n');
            }
            try {
                Files.writeString(Path.of(dir, "probes.txt"), b);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Submits n probes at the rate; the submit call's return time by the probe's argument (its submit time). */
        private Map<Long, Long> paced(int perSecond, int n) {
            Map<Long, Long> returned = new HashMap<>(2 * n);
            long interval = 1_000_000_000L / perSecond;
            long next = System.nanoTime();
            for (int i = 0; i < n; i++) {
                long now;
                while ((now = System.nanoTime()) < next) {
                    LockSupport.parkNanos(next - now);
                }
                long submitted = System.nanoTime();
                taskq.submit(ProbeTasks::probe, submitted);
                returned.put(submitted, System.nanoTime());
                next += interval;
            }
            return returned;
        }

        private void one(int n) {
            awaitWorker();
            pause(true);
            for (int i = 0; i < n; i++) {
                taskq.submit(ProbeTasks::probe, 0L);
            }
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                taskq.submit(ProbeTasks::probe, 0L);
            }
            result("enqueue-one-by-one", n / ((System.nanoTime() - start) / 1e9), "tasks/s");
        }

        private void bulk(int n) {
            awaitWorker();
            pause(true);
            submitProbes(n, 0);
            long start = System.nanoTime();
            submitProbes(n, 0);
            result("enqueue-bulk-1000", n / ((System.nanoTime() - start) / 1e9), "tasks/s");
        }

        private void roundTrips(int seconds) {
            awaitWorker();
            long warm = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            for (long i = 0; System.nanoTime() < warm; i++) {
                taskq.submit(ProbeTasks::echo, i).get(Duration.ofSeconds(10));
            }
            long start = System.nanoTime();
            long end = start + TimeUnit.SECONDS.toNanos(seconds);
            long count = 0;
            while (System.nanoTime() < end) {
                TaskHandle<Long> h = taskq.submit(ProbeTasks::echo, count);
                if (h.get(Duration.ofSeconds(10)) != count) {
                    throw new IllegalStateException("wrong result");
                }
                count++;
            }
            result("round-trip", count / ((System.nanoTime() - start) / 1e9), "per s");
        }

        /** Where a sequential round trip's time goes: medians and p90 of each phase, after a warm-up as long. */
        private void phases(int seconds) {
            awaitWorker();
            long warm = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < warm) {
                taskq.submit(ProbeTasks::stamp).get(Duration.ofSeconds(10));
            }
            List<long[]> runs = new ArrayList<>();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < end) {
                long t0 = System.nanoTime();
                TaskHandle<Long> h = taskq.submit(ProbeTasks::stamp);
                long t1 = System.nanoTime();
                long started = h.get(Duration.ofSeconds(10));
                long t2 = System.nanoTime();
                runs.add(new long[] {t1 - t0, started - t0, t2 - started});
            }
            String[] names = {"submit-call", "submit-to-start", "start-to-result"};
            for (int i = 0; i < names.length; i++) {
                int k = i;
                long[] v = runs.stream().mapToLong(r -> r[k]).sorted().toArray();
                result("phase-" + names[i] + "-p50", v[v.length / 2] / 1e6, "ms");
                result("phase-" + names[i] + "-p90", v[(int) (v.length * 0.9)] / 1e6, "ms");
            }
        }

        private static void result(String scenario, double value, String unit) {
            System.out.printf(Locale.ROOT, "RESULT system=taskq scenario=%s value=%.3f unit=%s%n", scenario, value, unit);
        }

        private static void await(int seconds, String what, BooleanSupplier condition) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (!condition.getAsBoolean()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("timed out waiting for " + what);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
        }

        @Override
        public void close() {
            taskq.close();
            conn.close();
            client.shutdown();
        }
    }
}
