package io.taskq.redis.bench.probe;

import io.lettuce.core.api.sync.RedisCommands;
import io.taskq.Task;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The probe tasks of {@link ProbeBench}: {@code probe} reads the clock and pushes one short record with the worker's
 * own Redis connection (shared by the task threads), as a real task does one real Redis call; {@code echo} returns
 * its argument, for round trips.
 */
public final class ProbeTasks {
    private final RedisCommands<String, String> redis;
    private final String out;

    ProbeTasks(RedisCommands<String, String> redis, String out) {
        this.redis = redis;
        this.out = out;
    }

    /** Probes run in this JVM. */
    static final AtomicLong RUN = new AtomicLong();

    /** Records when it started and the producer's clock at submit: {@code "<start> <submitted>"}. */
    @Task(name = "probe.run", ignoreResult = true)
    public void probe(long submittedNanos) {
        long start = System.nanoTime();
        redis.rpush(out, start + " " + submittedNanos);
        RUN.incrementAndGet();
    }

    /** Returns its argument. */
    @Task(name = "probe.echo")
    public long echo(long x) {
        return x;
    }

    /** Returns the clock when it started (for the phases of a round trip). */
    @Task(name = "probe.stamp")
    public long stamp() {
        return System.nanoTime();
    }
}
