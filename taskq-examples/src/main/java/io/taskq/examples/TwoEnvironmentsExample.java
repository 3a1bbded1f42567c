package io.taskq.examples;

import io.taskq.Task;
import io.taskq.TaskHandle;
import io.taskq.Taskq;
import io.taskq.WorkerOptions;
import io.taskq.redis.RedisBroker;
import java.time.Duration;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Two environments, {@code live} and {@code uat}, on one Redis: each has its own key prefix, so neither sees the
 * other's tasks, results, schedules or leases. Run with a Redis URL as the first argument or in
 * {@code TASKQ_REDIS_URL}; without one it falls back to two in-memory brokers, which are trivially apart.
 */
public final class TwoEnvironmentsExample {
    private TwoEnvironmentsExample() {
    }

    /** A task that says which environment ran it. */
    public static class Jobs {
        final String environment;
        final Queue<String> ran = new ConcurrentLinkedQueue<>();

        Jobs(String environment) {
            this.environment = environment;
        }

        /** Records the job. */
        @Task(name = "jobs.run")
        public String run(String job) {
            ran.add(job);
            return job + " ran in " + environment;
        }
    }

    /** Runs the example. */
    public static void main(String[] args) {
        Optional<String> url = args.length > 0 ? Optional.of(args[0])
                : Optional.ofNullable(System.getenv("TASKQ_REDIS_URL")).filter(s -> !s.isBlank());
        Jobs liveJobs = new Jobs("live");
        Jobs uatJobs = new Jobs("uat");
        try (Environment live = new Environment(url, "live", liveJobs);
             Environment uat = new Environment(url, "uat", uatJobs)) {
            TaskHandle<String> a = live.taskq.submit(Jobs::run, "invoice-run");
            TaskHandle<String> b = uat.taskq.submit(Jobs::run, "test-run");
            System.out.println(a.get(Duration.ofSeconds(10)));
            System.out.println(b.get(Duration.ofSeconds(10)));
            System.out.println("live ran " + liveJobs.ran + ", uat ran " + uatJobs.ran);
            System.out.println("uat sees live's task: " + uat.taskq.handle(a.id()).state()); // UNKNOWN: another namespace
        }
    }

    /** One environment: its broker (own prefix), its taskq and a worker. */
    private static final class Environment implements AutoCloseable {
        final RedisBroker broker;
        final Taskq taskq;

        Environment(Optional<String> url, String prefix, Jobs jobs) {
            broker = url.map(u -> RedisBroker.builder().uri(u).keyPrefix(prefix).build()).orElse(null);
            Taskq.Builder b = Taskq.builder().tasks(jobs);
            taskq = (broker == null ? b : b.broker(broker)).build();
            taskq.startWorker(WorkerOptions.builder().concurrency(2).build());
        }

        @Override
        public void close() {
            taskq.close();
            if (broker != null) {
                broker.close();
            }
        }
    }
}
