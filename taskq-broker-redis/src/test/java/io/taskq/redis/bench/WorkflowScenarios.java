package io.taskq.redis.bench;

import io.taskq.Chain;
import io.taskq.ChainHandle;
import io.taskq.Chord;
import io.taskq.ChordHandle;
import io.taskq.Group;
import io.taskq.Signature;
import io.taskq.Task;
import io.taskq.TaskRequest;
import io.taskq.Taskq;
import io.taskq.Worker;
import io.taskq.WorkerOptions;
import io.taskq.redis.RedisBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The workflow scenarios of {@link RedisBenchmark} (docs/performance.md): {@code chord}, the Redis commands a chord
 * of N no-op members costs per member over a group of the same members without a callback, and how long after the
 * last member's method returned the callback starts; {@code chain}, the time per step of a chain of N steps against
 * N plain tasks each submitted when the one before started (submit → start, one after the other).
 */
final class WorkflowScenarios {
    private final RedisBenchmark bench;

    WorkflowScenarios(RedisBenchmark bench) {
        this.bench = bench;
    }

    /** The scenarios' tasks. */
    public static class Tasks {
        static final AtomicLong LAST_MEMBER_END = new AtomicLong();
        static final AtomicLong MEMBERS_DONE = new AtomicLong();
        static final AtomicLong CALLBACK_START = new AtomicLong();
        static final AtomicLong STARTED = new AtomicLong();
        static final AtomicLong LAST_START = new AtomicLong();

        /** A chord member: returns its argument; records when the last one ended. */
        @Task(name = "bench.member")
        public int member(int n) {
            LAST_MEMBER_END.accumulateAndGet(System.nanoTime(), Math::max);
            MEMBERS_DONE.incrementAndGet();
            return n;
        }

        /** A chord callback: records when it started. */
        @Task(name = "bench.chordCallback")
        public int callback(List<Integer> results) {
            CALLBACK_START.set(System.nanoTime());
            return results.size();
        }

        /** A chain step (or a plain task): counts its start. */
        @Task(name = "bench.step")
        public int step(int n) {
            LAST_START.set(System.nanoTime());
            STARTED.incrementAndGet();
            return n + 1;
        }
    }

    private static List<TaskRequest<Integer>> members(int n) {
        List<TaskRequest<Integer>> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            l.add(TaskRequest.of(Tasks::member, i));
        }
        return l;
    }

    void chord(int n) throws Exception {
        try (RedisBroker broker = bench.broker("chord"); Taskq t = bench.taskq(broker)) {
            Worker w = t.startWorker(WorkerOptions.builder().concurrency(8).build());
            t.submit(Chord.of(Group.of(members(n)), Signature.of(Tasks::callback))).get(Duration.ofMinutes(5));
            w.close(); // warm-up done

            // Both runs wait the same way (a counter in this JVM, then nothing in flight): no handle reads counted.
            t.submit(Group.of(members(n)));
            Tasks.MEMBERS_DONE.set(0);
            Map<String, Long> before = bench.commandStats();
            w = t.startWorker(WorkerOptions.builder().concurrency(8).build());
            RedisBenchmark.waitFor(() -> Tasks.MEMBERS_DONE.get() >= n, 300);
            RedisBenchmark.waitFor(() -> broker.stats("default").inFlight() == 0, 60);
            w.close();
            double plainPerTask = RedisBenchmark.total(RedisBenchmark.diff(before, bench.commandStats()))
                    / (double) n;

            ChordHandle<Integer> chord = t.submit(Chord.of(Group.of(members(n)), Signature.of(Tasks::callback)));
            Tasks.LAST_MEMBER_END.set(0);
            Tasks.CALLBACK_START.set(0);
            before = bench.commandStats();
            w = t.startWorker(WorkerOptions.builder().concurrency(8).build());
            RedisBenchmark.waitFor(() -> Tasks.CALLBACK_START.get() != 0, 300);
            RedisBenchmark.waitFor(() -> broker.stats("default").inFlight() == 0, 60);
            w.close();
            double chordPerMember = RedisBenchmark.total(RedisBenchmark.diff(before, bench.commandStats()))
                    / (double) n;
            chord.get(Duration.ofMinutes(1));
            RedisBenchmark.print("chord of %,d no-op members, concurrency 8: %.2f Redis commands/member (worker loop,"
                    + " callback included; INFO commandstats, script-internal commands counted) against %.2f for a group of the same without a callback: %+.2f per member;"
                    + " callback started %.1f ms after the last member's method returned", n, chordPerMember,
                    plainPerTask, chordPerMember - plainPerTask,
                    (Tasks.CALLBACK_START.get() - Tasks.LAST_MEMBER_END.get()) / 1e6);
        }
    }

    void chain(int steps) throws Exception {
        try (RedisBroker broker = bench.broker("chain"); Taskq t = bench.taskq(broker)) {
            t.startWorker(WorkerOptions.builder().concurrency(8).build());
            runChain(t, steps); // warm-up
            plain(t, steps);
            long plainNanos = plain(t, steps);
            long chainNanos = runChain(t, steps);
            RedisBenchmark.print("chain of %,d steps: %.3f ms per step (submit to the last step's start / steps);"
                    + " plain tasks one after the other (submit when the one before started): %.3f ms per"
                    + " submit → start; the chain adds %+.3f ms per step", steps, chainNanos / 1e6 / steps,
                    plainNanos / 1e6 / steps, (chainNanos - plainNanos) / 1e6 / steps);
        }
    }

    private static long runChain(Taskq t, int steps) throws Exception {
        Chain<Integer> c = Chain.of(TaskRequest.of(Tasks::step, 0));
        for (int i = 1; i < steps; i++) {
            c = c.then(Signature.of(Tasks::step));
        }
        Tasks.STARTED.set(0);
        long start = System.nanoTime();
        ChainHandle<Integer> h = t.submit(c);
        RedisBenchmark.waitFor(() -> Tasks.STARTED.get() >= steps, 600);
        long took = Tasks.LAST_START.get() - start;
        h.get(Duration.ofMinutes(1));
        return took;
    }

    private static long plain(Taskq t, int steps) throws Exception {
        Tasks.STARTED.set(0);
        long start = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            long want = i + 1;
            t.submit(Tasks::step, i);
            while (Tasks.STARTED.get() < want) {
                Thread.onSpinWait();
            }
        }
        return Tasks.LAST_START.get() - start;
    }
}
