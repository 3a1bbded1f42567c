package io.taskq.redis.limits;

import io.taskq.Taskq;
import io.taskq.WorkerOptions;
import io.taskq.redis.RedisBroker;
import java.time.Duration;

/**
 * A worker JVM of the limits' load test: {@code LoadWorker <endpoint> <prefix> <jvm>} (the endpoint as
 * {@link Records} takes it) runs 64 threads on the queues of {@link LoadTasks} with a 4 s lease, prints READY when
 * its worker runs, then runs until killed.
 */
public final class LoadWorker {
    static final Duration LEASE = Duration.ofSeconds(4);

    private LoadWorker() {
    }

    /** Entry point. */
    public static void main(String[] args) throws Exception {
        String[] seeds = Records.clusterSeeds(args[0]);
        RedisBroker.Builder b = RedisBroker.builder().keyPrefix(args[1]);
        RedisBroker broker = (seeds != null ? b.cluster(seeds) : b.uri(args[0])).build();
        LoadTasks.records = Records.open(args[0], args[1]);
        LoadTasks.jvm = args[2];
        Taskq taskq = Taskq.builder().broker(broker).tasks(new LoadTasks()).build();
        taskq.startWorker(WorkerOptions.builder().workerId(args[2]).queues("load")
                .concurrency(64).lease(LEASE).claimWait(Duration.ofMillis(500)).build());
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
