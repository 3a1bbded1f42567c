package io.taskq.redis.fault;

import io.taskq.Taskq;
import io.taskq.WorkerOptions;
import io.taskq.redis.RedisBroker;
import java.time.Duration;

/**
 * A worker in its own JVM, for the kill tests: {@code ChildWorker <redisUrl> <prefix> <queue> <leaseMs>
 * <concurrency> [<prefetch> <maxRedeliveries>]} (without them: adaptive prefetch, the broker's default); the system
 * properties {@code taskq.child.nodeName} and {@code taskq.child.heartbeatMs} set the worker's registry options,
 * {@code taskq.child.chordKill=<mode>:<n>} makes it kill itself at a point of its n-th chord report
 * ({@link ChordKillBroker}).
 * Prints READY when its worker runs, then runs until killed.
 */
public final class ChildWorker {
    private ChildWorker() {
    }

    /** Entry point. */
    public static void main(String[] args) throws Exception {
        RedisBroker.Builder b = RedisBroker.builder().uri(args[0]).keyPrefix(args[1]);
        if (args.length > 6) {
            b.maxRedeliveries(Integer.parseInt(args[6]));
        }
        io.taskq.spi.Broker broker = b.build();
        String chordKill = System.getProperty("taskq.child.chordKill");
        if (chordKill != null) {
            broker = new ChordKillBroker(broker, chordKill.substring(0, chordKill.indexOf(':')),
                    Integer.parseInt(chordKill.substring(chordKill.indexOf(':') + 1)));
        }
        Taskq taskq = Taskq.builder().broker(broker).tasks(new FaultTasks()).build();
        WorkerOptions.Builder w = WorkerOptions.builder().workerId("child").queues(args[2])
                .lease(Duration.ofMillis(Long.parseLong(args[3]))).concurrency(Integer.parseInt(args[4]))
                .claimWait(Duration.ofMillis(500));
        if (args.length > 5) {
            w.prefetch(Integer.parseInt(args[5]));
        }
        String node = System.getProperty("taskq.child.nodeName");
        if (node != null) {
            w.nodeName(node);
        }
        String heartbeatMs = System.getProperty("taskq.child.heartbeatMs");
        if (heartbeatMs != null) {
            w.heartbeatInterval(Duration.ofMillis(Long.parseLong(heartbeatMs)));
        }
        taskq.startWorker(w.build());
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
