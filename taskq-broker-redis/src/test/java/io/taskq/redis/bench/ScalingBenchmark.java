package io.taskq.redis.bench;

import io.taskq.redis.BrokerInternals;
import io.taskq.TaskRequest;
import io.taskq.Taskq;
import io.taskq.Worker;
import io.taskq.WorkerOptions;
import io.taskq.redis.RedisBroker;
import io.taskq.redis.bench.RedisBenchmark.BenchTasks;
import io.taskq.redis.cluster.LocalCluster;
import io.taskq.redis.cluster.LocalRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Throughput with 1 shard (a plain redis-server) and 3 shards (a 3-master Cluster), started by this program on
 * loopback, plus Redis memory and commands per queued task:
 *
 * <pre>mvn -q -pl taskq-broker-redis -am test-compile exec:java -Dexec.skip=false -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.taskq.redis.bench.ScalingBenchmark [-Dexec.args="20000"]</pre>
 *
 * Scenarios per topology: 8 queues, 2 workers × concurrency 32 consuming all of them (spread load); one queue
 * (one slot); one queue with 6 partitions. Tasks are no-ops, submitted in batches before the workers start, so the
 * number is the drain rate of the worker side.
 */
public final class ScalingBenchmark {
    private ScalingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        try (LocalRedis single = LocalRedis.server("bench-1")) {
            String url = "redis://127.0.0.1:" + single.port() + "/0";
            memory(single, url);
            run("1 shard ", () -> RedisBroker.builder().uri(url), n, () -> calls(single.cli("INFO", "commandstats")));
        }
        try (LocalCluster cluster = LocalCluster.start(3, 0)) {
            run("3 shards", () -> RedisBroker.builder().cluster(cluster.seeds()), n,
                    () -> {
                        long sum = 0;
                        for (LocalRedis r : cluster.nodes()) {
                            sum += calls(r.cli("INFO", "commandstats"));
                        }
                        return sum;
                    });
        }
    }

    static long calls(String commandstats) {
        long sum = 0;
        for (String line : commandstats.split("\r?\n")) {
            int i = line.indexOf("calls=");
            if (line.startsWith("cmdstat_") && i > 0 && !line.startsWith("cmdstat_info")) {
                sum += Long.parseLong(line.substring(i + 6, line.indexOf(',', i)));
            }
        }
        return sum;
    }

    private static void run(String label, Supplier<RedisBroker.Builder> b, int n, LongSupplier cli) throws Exception {
        List<String> eight = List.of("q0", "q1", "q2", "q3", "q4", "q5", "q6", "q7");
        scenario(label, "8 queues", b, eight, 0, n, cli);
        scenario(label, "1 queue", b, List.of("hot"), 0, n, cli);
        scenario(label, "1 queue, 6 partitions", b, List.of("hot"), 6, n, cli);
    }

    private static void scenario(String label, String what, Supplier<RedisBroker.Builder> b, List<String> queues,
                                 int partitions, int n, LongSupplier cli) throws Exception {
        String prefix = "b" + System.nanoTime() % 100000;
        List<RedisBroker> brokers = new ArrayList<>();
        List<Taskq> apps = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            RedisBroker.Builder x = b.get().keyPrefix(prefix);
            if (partitions > 1) {
                x.partitions("hot", partitions);
            }
            RedisBroker br = x.build();
            brokers.add(br);
            apps.add(Taskq.builder().broker(br).tasks(new BenchTasks()).build());
        }
        List<TaskRequest<?>> reqs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            reqs.add(TaskRequest.of(BenchTasks::noop).queue(queues.get(i % queues.size())));
        }
        for (int i = 0; i < n; i += 1000) {
            apps.get(0).submitAll(reqs.subList(i, Math.min(n, i + 1000)));
        }
        BenchTasks.DONE.set(0);
        long calls0 = cli.getAsLong();
        long t0 = System.nanoTime();
        List<Worker> ws = new ArrayList<>();
        for (int i = 1; i < 3; i++) {
            ws.add(apps.get(i).startWorker(WorkerOptions.builder().queues(queues.toArray(new String[0]))
                    .concurrency(32).build()));
        }
        while (BenchTasks.DONE.get() < n) {
            Thread.sleep(5);
            if (System.nanoTime() - t0 > 300_000_000_000L) {
                throw new IllegalStateException("too slow");
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        long calls1 = cli.getAsLong();
        System.out.printf("%s | %-22s | %6.0f tasks/s | %5.1f commands/task (worker side)%n", label, what,
                n / secs, (calls1 - calls0) / (double) n);
        apps.forEach(Taskq::close);
        brokers.forEach(RedisBroker::close);
    }

    private static void memory(LocalRedis r, String url) {
        long before = used(r);
        int n = 10_000;
        try (RedisBroker br = RedisBroker.builder().uri(url).keyPrefix("mem").build();
             Taskq app = Taskq.builder().broker(br).tasks(new BenchTasks()).build()) {
            List<TaskRequest<?>> reqs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                reqs.add(TaskRequest.of(BenchTasks::echo, i).queue("m"));
            }
            app.submitAll(reqs);
            long after = used(r);
            String base = BrokerInternals.queueKeyBase(br, "m");
            long job = Long.parseLong(r.cli("MEMORY", "USAGE", base + ":job", "SAMPLES", "0").trim());
            long ready = Long.parseLong(r.cli("MEMORY", "USAGE", base + ":ready", "SAMPLES", "0").trim());
            System.out.printf("memory: %d queued tasks: used_memory +%d bytes = %d bytes/task "
                            + "(job HASH %d B/task, ready ZSET %d B/task)%n", n, after - before,
                    (after - before) / n, job / n, ready / n);
            // After they ran: records (24 h retention) stay.
            long beforeRun = used(r);
            app.startWorker(WorkerOptions.builder().queues("m").concurrency(16).build());
            long t0 = System.nanoTime();
            while (app.stats("m").ready() + app.stats("m").inFlight() > 0 && System.nanoTime() - t0 < 60e9) {
                Thread.sleep(20);
            }
            long res = Long.parseLong(r.cli("MEMORY", "USAGE", base + ":res", "SAMPLES", "0").trim());
            System.out.printf("memory: after they ran: used_memory %+d bytes vs queued = %d bytes/task kept as "
                    + "results until resultTtl (res HASH %d B/task)%n", used(r) - beforeRun,
                    (used(r) - before) / n, res / n);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long used(LocalRedis r) {
        for (String line : r.cli("INFO", "memory").split("\r?\n")) {
            if (line.startsWith("used_memory:")) {
                return Long.parseLong(line.substring(12).trim());
            }
        }
        return -1;
    }
}
