package io.taskq.redis.limits;

import io.taskq.Task;
import io.taskq.TaskContext;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The tasks of the limits' load test ({@link LimitsLoad}), run by {@link LoadWorker} JVMs: each records its start
 * (and the concurrency-limited one its end) in Redis ({@link Records}), with the time in microseconds since the
 * epoch; all JVMs of the test run on one machine, so their clocks agree.
 */
public class LoadTasks {
    /** Where this JVM records; set by {@link LoadWorker} before its worker starts. */
    static volatile Records records;
    /** This JVM's name in the records (the test kills JVMs by that name). */
    static volatile String jvm = "";

    static long micros() {
        return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    }

    /** The task limited to 1,000 starts a second across all workers: records its start. */
    @Task(name = "load.global", queue = "load", rateLimit = "1000/s")
    public void global(int n) {
        records.push("global", Long.toString(micros()));
    }

    /** The task limited to 10 starts a second per tenant (its first argument): records the tenant and its start. */
    @Task(name = "load.tenant", queue = "load", rateLimit = "10/s", limitKey = "arg:0")
    public void tenant(int tenant, int n) {
        records.push("tenants", tenant + " " + micros());
    }

    /**
     * The task limited to 5 running at once across all workers: records {@code S <run> <start> <jvm>} before it
     * works for 100 ms and {@code E <run> <end>} after, a run being the task's id and attempt.
     */
    @Task(name = "load.five", queue = "load", concurrencyLimit = 5)
    public void five(int n) throws InterruptedException {
        TaskContext ctx = TaskContext.current().orElseThrow();
        String run = ctx.taskId() + "/" + ctx.attempt();
        records.push("five", "S " + run + " " + micros() + " " + jvm);
        try {
            Thread.sleep(100);
        } finally {
            records.push("five", "E " + run + " " + micros());
        }
    }
}
