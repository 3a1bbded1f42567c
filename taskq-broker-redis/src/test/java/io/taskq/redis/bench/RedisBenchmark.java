package io.taskq.redis.bench;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.taskq.Task;
import io.taskq.TaskHandle;
import io.taskq.RateLimit;
import io.taskq.TaskRequest;
import io.taskq.Taskq;
import io.taskq.Worker;
import io.taskq.WorkerOptions;
import io.taskq.redis.RedisBroker;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Throughput and latency of the Redis broker against a running Redis (default redis://127.0.0.1:6379/0):
 *
 * <pre>mvn -q -pl taskq-broker-redis -am test-compile exec:java -Dexec.skip=false -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.taskq.redis.bench.RedisBenchmark [-Dexec.args="redis://host:port/db"]</pre>
 *
 * A second argument picks scenarios: any of one,batch,process,limited,noprefetch,prefetch,latency,rt,chord,chain
 * (comma-separated; chord and chain are {@link WorkflowScenarios}). Every scenario
 * uses its own key prefix, deleted afterwards. Prints one line per measurement. {@code -Dbench.events=false} turns the
 * task events off, to measure what they cost.
 */
public final class RedisBenchmark {
    private static final int PROCESS_TASKS = 100_000;

    /** The benchmark's tasks. */
    public static class BenchTasks {
        static final AtomicLong DONE = new AtomicLong();
        static volatile AtomicLongArray latencies;
        static final AtomicLong LAT_INDEX = new AtomicLong();

        /** Does nothing but count. */
        @Task(name = "bench.noop")
        public void noop() {
            DONE.incrementAndGet();
        }

        /** Records submit-to-start latency (the argument is the submit time in System.nanoTime()). */
        @Task(name = "bench.latency")
        public void latency(long submittedNanos) {
            long lat = System.nanoTime() - submittedNanos;
            AtomicLongArray l = latencies;
            long i = LAT_INDEX.getAndIncrement();
            if (l != null && i < l.length()) {
                l.set((int) i, lat);
            }
        }

        /** Returns its argument (round trips). */
        @Task(name = "bench.echo")
        public int echo(int x) {
            return x;
        }
    }

    private final String url;
    private final RedisClient admin;
    private final StatefulRedisConnection<String, String> adminConn;
    private final List<String> prefixes = new ArrayList<>();
    private java.util.Set<String> only;

    private boolean run(String name) {
        return only == null || only.contains(name);
    }

    private RedisBenchmark(String url) {
        this.url = url;
        this.admin = RedisClient.create(url);
        this.adminConn = admin.connect();
    }

    /** Runs every scenario. */
    public static void main(String[] args) throws Exception {
        String url = args.length > 0 ? args[0] : "redis://127.0.0.1:6379/0";
        RedisBenchmark b = new RedisBenchmark(url);
        if (args.length > 1) {
            b.only = java.util.Set.of(args[1].split(","));
        }
        try {
            b.all();
        } finally {
            b.cleanup();
        }
        System.exit(0);
    }

    private void all() throws Exception {
        RedisCommands<String, String> r = adminConn.sync();
        String info = r.info("server");
        print("machine: %d cores, %s %s, Java %s; Redis %s", Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"),
                info.replaceAll("(?s).*redis_version:([^\\r\\n]+).*", "$1"));
        calibrate(r);
        if (run("one")) {
            enqueueOneByOne(Integer.getInteger("bench.oneTasks", 20_000));
        }
        if (run("batch")) {
            enqueueBatch(Integer.getInteger("bench.batchTasks", 200_000), 1000);
        }
        if (run("process")) {
            // The default worker options: adaptive prefetch.
            process(8, -1);
            process(64, -1);
        }
        if (run("limited")) {
            // Tasks whose limits never hold them back: the cost of an active limit per task (docs/limits.md).
            processLimited(8);
            processLimited(64);
        }
        if (run("noprefetch")) {
            // Workers that never hold a task beyond their free slots (prefetch(0), the default up to round 4).
            process(8, 0);
            process(64, 0);
        }
        if (run("prefetch")) {
            // A fixed prefetch (WorkerOptions.prefetch): claimed tasks always held ready beyond the free slots
            // (-Dbench.prefetch8=N, -Dbench.prefetch64=N change how many).
            process(8, Integer.getInteger("bench.prefetch8", 8));
            process(64, Integer.getInteger("bench.prefetch64", 64));
        }
        // -Dbench.repeat=N runs the latency and round-trip scenarios N times in this JVM (the first runs include
        // JIT compilation of the code paths they exercise).
        if (run("chord")) {
            new WorkflowScenarios(this).chord(Integer.getInteger("bench.chordMembers", 10_000));
        }
        if (run("chain")) {
            new WorkflowScenarios(this).chain(Integer.getInteger("bench.chainSteps", 1000));
        }
        int repeat = Integer.getInteger("bench.repeat", 1);
        for (int i = 0; i < repeat; i++) {
            if (run("latency")) {
                latency(500, 10);
            }
            if (run("rt")) {
                roundTrips(5);
            }
        }
    }

    Taskq taskq(RedisBroker broker) {
        // -Dbench.events=false: the application publishes no task events (default: to the prefix's event stream).
        return Taskq.builder().broker(broker).tasks(new BenchTasks(), new WorkflowScenarios.Tasks())
                .events(!"false".equals(System.getProperty("bench.events"))).build();
    }

    RedisBroker broker(String name) {
        String p = "bench-" + name + "-" + System.nanoTime();
        prefixes.add(p);
        // -Dbench.functions=false: the scripts with EVALSHA, as on Redis 6.2 (default: a function library on 7+).
        return RedisBroker.builder().uri(url).keyPrefix(p)
                .functions(!"false".equals(System.getProperty("bench.functions"))).build();
    }

    private void enqueueOneByOne(int n) {
        try (RedisBroker broker = broker("one"); Taskq t = taskq(broker)) {
            for (int i = 0; i < 2000; i++) {
                t.submit(BenchTasks::noop);
            }
            Map<String, Long> before = commandStats();
            long[] jvm = jvmCpu();
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                t.submit(BenchTasks::noop);
            }
            double secs = (System.nanoTime() - start) / 1e9;
            String jvmUse = jvmCpu(jvm, n);
            Map<String, Long> d = diff(before, commandStats());
            print("enqueue one-by-one, 1 thread: %,.0f tasks/s (%d tasks, %.2f s), %.1f Redis commands/task, %s, %s",
                    n / secs, n, secs, total(d) / (double) n, cpu(d, n), jvmUse);
        }
    }

    private void enqueueBatch(int n, int batch) throws InterruptedException {
        List<TaskRequest<?>> reqs = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
            reqs.add(TaskRequest.of(BenchTasks::noop));
        }
        // JIT warm-up on a queue of its own, deleted before the measurement (-Dbench.batchWarmup=tasks): the
        // measured run takes about 1.5 s, and without it C2 was still compiling the producer's path for part of
        // it (a JVM that had run the one-by-one scenario first measured 5-8 % more). A separate queue, so that the
        // measured one starts as small as before (Redis's work per task grows with the number queued).
        int warm = Integer.getInteger("bench.batchWarmup", 300_000);
        if (warm > 0) {
            String warmPrefix;
            try (RedisBroker broker = broker("batchwarm"); Taskq t = taskq(broker)) {
                warmPrefix = prefixes.get(prefixes.size() - 1);
                for (int i = 0; i < warm / batch; i++) {
                    t.submitAll(reqs);
                }
            }
            deletePrefix(warmPrefix);
            waitFor(() -> adminConn.sync().info("memory").contains("lazyfree_pending_objects:0\r"), 120);
        }
        try (RedisBroker broker = broker("batch"); Taskq t = taskq(broker)) {
            for (int i = 0; i < 20; i++) {
                t.submitAll(reqs);
            }
            Map<String, Long> before = commandStats();
            long[] jvm = jvmCpu();
            long start = System.nanoTime();
            for (int i = 0; i < n / batch; i++) {
                t.submitAll(reqs);
            }
            double secs = (System.nanoTime() - start) / 1e9;
            String jvmUse = jvmCpu(jvm, n);
            Map<String, Long> d = diff(before, commandStats());
            print("enqueue batch (submitAll of %d), 1 thread: %,.0f tasks/s (%d tasks, %.2f s), %.2f commands/task, %s, %s",
                    batch, n / secs, n, secs, total(d) / (double) n, cpu(d, n), jvmUse);
        }
    }

    /** @param prefetch tasks held beyond the free slots, or -1 for the default (adaptive) */
    private void process(int concurrency, int prefetch) throws Exception {
        process(concurrency, prefetch, TaskRequest.of(BenchTasks::noop), "no-op");
    }

    /**
     * The process scenario with tasks that carry limits which never hold one back (docs/limits.md): what an active
     * limit costs per task (the claim's bookkeeping), against the unlimited tasks of {@code process}.
     */
    private void processLimited(int concurrency) throws Exception {
        RateLimit loose = RateLimit.of(1_000_000, Duration.ofSeconds(1)).withBurst(1_000_000);
        process(concurrency, -1, TaskRequest.of(BenchTasks::noop).rateLimit(loose), "rate-limited");
        process(concurrency, -1, TaskRequest.of(BenchTasks::noop).rateLimit(loose).concurrencyLimit(10_000),
                "rate- and concurrency-limited");
    }

    private void process(int concurrency, int prefetch, TaskRequest<?> request, String label) throws Exception {
        try (RedisBroker broker = broker("proc" + concurrency); Taskq t = taskq(broker)) {
            List<TaskRequest<?>> reqs = new ArrayList<>(1000);
            for (int i = 0; i < 1000; i++) {
                reqs.add(request);
            }
            // Warm-up round (-Dbench.processWarmup=tasks, default 100,000): the same work on the same queue, drained
            // before the measurement, so that the worker's path is compiled (10,000 tasks, the warm-up up to round
            // 3, left part of the JIT's work in the measured seconds).
            int warm = Math.max(1000, Integer.getInteger("bench.processWarmup", 100_000)) / 1000;
            for (int i = 0; i < warm; i++) {
                t.submitAll(reqs);
            }
            BenchTasks.DONE.set(0);
            Worker w = t.startWorker(processOptions(concurrency, prefetch));
            waitFor(() -> BenchTasks.DONE.get() >= warm * 1000L && broker.stats("default").inFlight() == 0, 300);
            w.close();
            for (int i = 0; i < PROCESS_TASKS / 1000; i++) {
                t.submitAll(reqs);
            }
            BenchTasks.DONE.set(0);
            Map<String, Long> before = commandStats();
            long start = System.nanoTime();
            w = t.startWorker(processOptions(concurrency, prefetch));
            waitFor(() -> BenchTasks.DONE.get() >= PROCESS_TASKS, 600);
            waitFor(() -> broker.stats("default").inFlight() == 0, 60);
            double secs = (System.nanoTime() - start) / 1e9;
            Map<String, Long> d = diff(before, commandStats());
            w.close();
            print("process %,d %s tasks, concurrency %d, prefetch %s: %,.0f tasks/s (%.2f s), %.1f Redis "
                    + "commands/task (worker loop only)", PROCESS_TASKS, label, concurrency,
                    prefetch < 0 ? "adaptive" : String.valueOf(prefetch), PROCESS_TASKS / secs, secs,
                    total(d) / (double) PROCESS_TASKS);
            print("   %s; commands/task by command: %s", cpu(d, PROCESS_TASKS), perTask(d, PROCESS_TASKS));
            if (!"false".equals(System.getProperty("bench.events"))) {
                print("   events: %,d dropped by this application (warm-up and submits included)",
                        t.events().dropped());
            }
        }
    }

    /**
     * How fast this machine is, so that runs on different machines (or the same VM on a busier host) can be told
     * apart: one client's PING round trips (the floor under every taskq round trip), a fixed CPU-bound loop in the
     * JVM, and the share of CPU time the hypervisor gave to other guests (steal) while both ran.
     */
    private static void calibrate(RedisCommands<String, String> r) throws Exception {
        long[] steal0 = stealAndTotal();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        int pings = 0;
        while (System.nanoTime() < end) {
            r.ping();
            pings++;
        }
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        byte[] block = new byte[1 << 20];
        long start = System.nanoTime();
        for (int i = 0; i < 128; i++) {
            sha.update(block);
        }
        sha.digest();
        double shaSecs = (System.nanoTime() - start) / 1e9;
        long[] steal1 = stealAndTotal();
        String steal = steal0 == null || steal1 == null || steal1[1] == steal0[1] ? "n/a"
                : String.format("%.0f %%", 100.0 * (steal1[0] - steal0[0]) / (steal1[1] - steal0[1]));
        print("calibration: %,d PING round trips/s from one thread, SHA-256 %,.0f MB/s, CPU steal %s",
                pings / 2, 128 / shaSecs, steal);
    }

    /** Steal and total CPU ticks from /proc/stat (Linux), or null. */
    private static long[] stealAndTotal() {
        try {
            String[] f = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/stat")).get(0).trim()
                    .split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            return new long[] {f.length > 8 ? Long.parseLong(f[8]) : 0, total};
        } catch (Exception e) {
            return null;
        }
    }

    private static WorkerOptions processOptions(int concurrency, int prefetch) {
        WorkerOptions.Builder b = WorkerOptions.builder().concurrency(concurrency);
        return (prefetch < 0 ? b : b.prefetch(prefetch)).build();
    }

    private void latency(int perSecond, int seconds) throws Exception {
        try (RedisBroker broker = broker("lat"); Taskq t = taskq(broker)) {
            int n = perSecond * seconds;
            t.startWorker(WorkerOptions.builder().concurrency(8).build());
            // Warm-up: a burst, then 40 s (-Dbench.latencyWarmup=seconds): half of it at 4 times the measured rate,
            // half at the rate, so that the JIT has compiled the paths measured. After 5 s (round 3) the JVM still
            // spent 2.5 times the CPU per task of a warm one (C2 compiling on one of the two cores), and that was
            // most of the measured tail: p99 2.9-3.5 ms in a JVM's first 10 s at 500/s against 0.65 ms in its
            // second, same build, same machine.
            // After 20 s (the default in round 4's first runs) the 10 s measured still had twice the p99 of the next
            // 10 s, whatever the collector (G1, G1 with a young generation too large to fill, ZGC): the JIT, not GC.
            // So the same path first runs 4 times as often for half the time (single submits, each task alone: the
            // code measured), and for 40 s in all.
            int warmSeconds = Integer.getInteger("bench.latencyWarmup", 40);
            for (int i = 0; i < 2000; i++) {
                t.submit(BenchTasks::latency, System.nanoTime());
            }
            waitFor(() -> BenchTasks.LAT_INDEX.get() >= 2000, 60);
            long fast = 4L * perSecond * warmSeconds / 2;
            paced(t, 4 * perSecond, (int) fast);
            paced(t, perSecond, perSecond * warmSeconds / 2);
            long warmTasks = 2000L + fast + (long) perSecond * warmSeconds / 2;
            waitFor(() -> BenchTasks.LAT_INDEX.get() >= warmTasks, 60);
            BenchTasks.latencies = new AtomicLongArray(n);
            BenchTasks.LAT_INDEX.set(0);
            Map<String, Long> before = commandStats();
            long[] gc0 = gc();
            Map<String, Long> alloc0 = allocatedByThread();
            paced(t, perSecond, n);
            waitFor(() -> BenchTasks.LAT_INDEX.get() >= n, 60);
            long[] gc1 = gc();
            String alloc = allocated(alloc0, allocatedByThread(), n);
            Map<String, Long> d = diff(before, commandStats());
            long[] l = new long[n];
            for (int i = 0; i < n; i++) {
                l[i] = BenchTasks.latencies.get(i);
            }
            BenchTasks.latencies = null;
            String dump = System.getProperty("bench.latencyDump");
            if (dump != null) {
                // One line per task in start order (≈ time order at the steady rate): where the tail falls.
                StringBuilder b = new StringBuilder();
                for (long v : l) {
                    b.append(v).append('\n');
                }
                java.nio.file.Files.writeString(java.nio.file.Path.of(dump), b);
            }
            Arrays.sort(l);
            print("submit->start latency at %d tasks/s for %d s (concurrency 8): p50 %.3f ms, p99 %.3f ms, "
                    + "max %.3f ms (p90 %.3f, p95 %.3f, p99.9 %.3f); %.1f Redis commands/task incl. submit; %s; "
                    + "GC %d collections, %d ms; allocated %s",
                    perSecond, seconds, l[n / 2] / 1e6, l[(int) (n * 0.99)] / 1e6, l[n - 1] / 1e6,
                    l[(int) (n * 0.9)] / 1e6, l[(int) (n * 0.95)] / 1e6, l[(int) (n * 0.999)] / 1e6,
                    total(d) / (double) n, cpu(d, n), gc1[0] - gc0[0], gc1[1] - gc0[1], alloc);
        }
    }

    /** Submits {@code n} latency tasks at a steady {@code perSecond}. */
    private static void paced(Taskq t, int perSecond, int n) {
        long interval = 1_000_000_000L / perSecond;
        long next = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long now;
            // Parked, not spinning: on two cores a spinning producer takes CPU from Redis and the worker it
            // measures. A late wake-up only delays a submit; latency is taken from the submit itself.
            while ((now = System.nanoTime()) < next) {
                java.util.concurrent.locks.LockSupport.parkNanos(next - now);
            }
            t.submit(BenchTasks::latency, System.nanoTime());
            next += interval;
        }
    }

    private void roundTrips(int seconds) {
        try (RedisBroker broker = broker("rt"); Taskq t = taskq(broker)) {
            t.startWorker(WorkerOptions.builder().concurrency(8).build());
            // Warm-up (-Dbench.rtWarmup=seconds): as for latency, a JVM's first seconds measure the JIT.
            long warm = System.nanoTime() + TimeUnit.SECONDS.toNanos(Integer.getInteger("bench.rtWarmup", 10));
            for (int i = 0; System.nanoTime() < warm; i++) {
                t.submit(BenchTasks::echo, i).get(Duration.ofSeconds(10));
            }
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            long start = System.nanoTime();
            int count = 0;
            Map<String, Long> before = commandStats();
            while (System.nanoTime() < end) {
                TaskHandle<Integer> h = t.submit(BenchTasks::echo, count);
                if (h.get(Duration.ofSeconds(10)) != count) {
                    throw new IllegalStateException("wrong result");
                }
                count++;
            }
            double secs = (System.nanoTime() - start) / 1e9;
            Map<String, Long> d = diff(before, commandStats());
            print("sequential submit->result round trips, 1 client thread: %,.0f/s (%d in %.2f s), %.1f commands "
                    + "each; %s", count / secs, count, secs, total(d) / (double) count, cpu(d, count));
        }
    }

    static void waitFor(java.util.function.BooleanSupplier c, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("benchmark step timed out");
            }
            Thread.sleep(2);
        }
    }

    Map<String, Long> commandStats() {
        Map<String, Long> m = new TreeMap<>();
        for (String line : adminConn.sync().info("commandstats").split("\r?\n")) {
            if (line.startsWith("cmdstat_")) {
                String name = line.substring(8, line.indexOf(':'));
                long calls = Long.parseLong(line.replaceAll("^[^:]+:calls=(\\d+),.*", "$1"));
                m.put(name, calls);
            }
        }
        String cpu = adminConn.sync().info("cpu");
        double used = Double.parseDouble(cpu.replaceAll("(?s).*used_cpu_user:([0-9.]+).*", "$1"))
                + Double.parseDouble(cpu.replaceAll("(?s).*used_cpu_sys:([0-9.]+).*", "$1"));
        m.put(CPU_US, (long) (used * 1e6));
        m.put(JVM_CPU_US, ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime() / 1000);
        procStats(m);
        return m;
    }

    /** Linux only: this JVM's kernel-mode CPU and its threads' context switches (thread wake-ups), if readable. */
    private static void procStats(Map<String, Long> m) {
        try {
            String[] stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"))
                    .replaceAll("^.*\\) ", "").split(" ");
            long tick = 10_000; // USER_HZ 100: one tick is 10 ms
            m.put(JVM_SYS_US, Long.parseLong(stat[12]) * tick);
            long switches = 0;
            try (var tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/task"))) {
                for (java.nio.file.Path t : (Iterable<java.nio.file.Path>) tasks::iterator) {
                    try {
                        for (String line : java.nio.file.Files.readAllLines(t.resolve("status"))) {
                            if (line.startsWith("voluntary_ctxt_switches:")
                                    || line.startsWith("nonvoluntary_ctxt_switches:")) {
                                switches += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                            }
                        }
                    } catch (java.io.IOException | RuntimeException e) {
                        // the thread ended meanwhile
                    }
                }
            }
            m.put(JVM_SWITCHES, switches);
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux: left out
        }
    }

    private static final String JVM_SYS_US = "~jvm-sys-us";
    private static final String JVM_SWITCHES = "~jvm-switches";

    private static final String CPU_US = "~redis-cpu-us";
    /** CPU time of this whole JVM (producer, workers, Lettuce, GC, JIT): the client side's cost per task. */
    private static final String JVM_CPU_US = "~jvm-cpu-us";

    static Map<String, Long> diff(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> d = new TreeMap<>();
        after.forEach((k, v) -> {
            long x = v - before.getOrDefault(k, 0L);
            // the benchmark's own INFO calls are not the broker's
            if (x > 0 && !k.equals("info") && !k.equals("config|get")) {
                d.put(k, x);
            }
        });
        return d;
    }

    static long total(Map<String, Long> d) {
        return d.entrySet().stream().filter(e -> !e.getKey().startsWith("~")).mapToLong(Map.Entry::getValue).sum();
    }

    private static String cpu(Map<String, Long> d, int n) {
        String s = String.format("Redis CPU %.1f us/task, JVM CPU %.1f us/task", d.getOrDefault(CPU_US, 0L) / (double) n,
                d.getOrDefault(JVM_CPU_US, 0L) / (double) n);
        if (d.containsKey(JVM_SWITCHES)) {
            s += String.format(" (kernel %.1f), JVM thread switches %.1f/task", d.getOrDefault(JVM_SYS_US, 0L) / (double) n,
                    d.get(JVM_SWITCHES) / (double) n);
        }
        return s;
    }

    /** CPU time of the whole JVM and of the calling thread, in ns. */
    /** Bytes allocated so far by each live thread, by thread name with digits folded (pools count as one). */
    private static Map<String, Long> allocatedByThread() {
        var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        Map<String, Long> out = new TreeMap<>();
        for (var info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info != null) {
                long b = mx.getThreadAllocatedBytes(info.getThreadId());
                if (b > 0) {
                    out.merge(info.getThreadName().replaceAll("\\d+", "N"), b, Long::sum);
                }
            }
        }
        return out;
    }

    /** Allocation per task between two snapshots: the total and the three threads (pools) that allocated most. */
    private static String allocated(Map<String, Long> before, Map<String, Long> after, int n) {
        Map<String, Long> d = new TreeMap<>();
        after.forEach((k, v) -> d.put(k, v - before.getOrDefault(k, 0L)));
        long total = d.values().stream().mapToLong(Long::longValue).filter(v -> v > 0).sum();
        StringBuilder top = new StringBuilder();
        d.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(3)
                .forEach(e -> top.append(String.format(", %s %.1f", e.getKey(), e.getValue() / 1024.0 / n)));
        return String.format("%.1f kB/task (%s)", total / 1024.0 / n, top.substring(2));
    }

    /** Collections and milliseconds spent in them so far, over all of the JVM's collectors. */
    private static long[] gc() {
        long[] out = new long[2];
        for (var b : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            out[0] += Math.max(0, b.getCollectionCount());
            out[1] += Math.max(0, b.getCollectionTime());
        }
        return out;
    }

    private static long[] jvmCpu() {
        return new long[] {((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime(), ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime()};
    }

    private static String jvmCpu(long[] before, int n) {
        long[] now = jvmCpu();
        if (Boolean.getBoolean("bench.threads")) {
            // CPU by thread over the whole run so far (-Dbench.threads=true): which threads the JVM share is.
            java.lang.management.ThreadMXBean tb = ManagementFactory.getThreadMXBean();
            Map<String, Long> by = new TreeMap<>();
            for (java.lang.management.ThreadInfo ti : tb.getThreadInfo(tb.getAllThreadIds())) {
                if (ti != null) {
                    by.merge(ti.getThreadName().replaceAll("\\d+", "N"), tb.getThreadCpuTime(ti.getThreadId()),
                            Long::sum);
                }
            }
            by.entrySet().stream().filter(e -> e.getValue() > 50_000_000L)
                    .forEach(e -> print("   thread %s: %.2f s CPU", e.getKey(), e.getValue() / 1e9));
        }
        return String.format("JVM CPU %.1f us/task (producer thread %.1f)", (now[0] - before[0]) / 1e3 / n,
                (now[1] - before[1]) / 1e3 / n);
    }

    private static String perTask(Map<String, Long> d, int n) {
        StringBuilder s = new StringBuilder();
        d.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).forEach(e -> {
            double v = e.getValue() / (double) n;
            if (v >= 0.01 && !e.getKey().startsWith("~")) {
                s.append(String.format("%s %.2f, ", e.getKey(), v));
            }
        });
        return s.length() > 2 ? s.substring(0, s.length() - 2) : "";
    }

    static void print(String fmt, Object... args) {
        System.out.println(String.format(fmt, args));
        System.out.flush();
    }

    private void cleanup() {
        for (String p : prefixes) {
            deletePrefix(p);
        }
        adminConn.close();
        admin.shutdown();
    }

    private void deletePrefix(String p) {
        RedisCommands<String, String> r = adminConn.sync();
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            var page = r.scan(cursor, ScanArgs.Builder.matches("{" + p + "*").limit(1000));
            if (!page.getKeys().isEmpty()) {
                r.unlink(page.getKeys().toArray(new String[0]));
            }
            cursor = page;
        } while (!cursor.isFinished());
    }
}
