package io.taskq.redis.fault;

import io.taskq.Task;
import io.taskq.TaskContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Tasks for the fault tests; shared by the test JVM and the child worker JVM. */
public class FaultTasks {
    /** Runs per key in this JVM. */
    public static final Map<String, AtomicInteger> RUNS = new ConcurrentHashMap<>();

    private static int attempt() {
        return TaskContext.current().orElseThrow().attempt();
    }

    /** The first attempt hangs (until killed or interrupted); later attempts return their attempt number. */
    @Task(name = "f.hangFirst")
    public int hangFirst(String tag) throws InterruptedException {
        int a = attempt();
        if (a == 1) {
            Thread.sleep(600_000);
        }
        return a;
    }

    /** Whether f.limited hangs (in a child JVM, until it is killed) or runs for 50 ms. */
    public static volatile boolean limitedHangs = true;
    /** How many f.limited run in this JVM now, and the most at once. */
    public static final AtomicInteger LIMITED_RUNNING = new AtomicInteger();
    public static final AtomicInteger LIMITED_MOST = new AtomicInteger();

    /** At most five at once across all workers (docs/limits.md); hangs while {@link #limitedHangs}. */
    @Task(name = "f.limited", concurrencyLimit = 5)
    public void limited(int n) throws InterruptedException {
        LIMITED_MOST.accumulateAndGet(LIMITED_RUNNING.incrementAndGet(), Math::max);
        try {
            Thread.sleep(limitedHangs ? 600_000 : 50);
        } finally {
            LIMITED_RUNNING.decrementAndGet();
        }
    }

    /** Sleeps, then returns the attempt number. */
    @Task(name = "f.slow")
    public int slow(int millis) throws InterruptedException {
        Thread.sleep(millis);
        return attempt();
    }

    /** Counts its runs per key in this JVM. */
    @Task(name = "f.count")
    public int count(String key) {
        return RUNS.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    }

    /**
     * The first attempt blocks past any short lease (ignoring interrupts) and then returns; later attempts return
     * at once. The result names the attempt that produced it.
     */
    @Task(name = "f.stall")
    public String stall(int millis) {
        int a = attempt();
        if (a == 1) {
            long end = System.nanoTime() + millis * 1_000_000L;
            while (System.nanoTime() < end) {
                try {
                    Thread.sleep(Math.max(1, (end - System.nanoTime()) / 1_000_000L));
                } catch (InterruptedException e) {
                    // a stalled worker does not notice anything
                }
            }
        }
        return "attempt-" + a;
    }

    /** A poison task: ends its worker's JVM at once (exit status 3), every attempt. */
    @Task(name = "f.exit")
    public String exit(String tag) {
        System.exit(3);
        return tag;
    }

    /**
     * A chain step: appends {@code >tag@attempt} to the previous step's result, counting its runs per tag in this
     * JVM; the first attempt of the step tagged "hang" hangs (until killed).
     */
    @Task(name = "f.chainStep")
    public String chainStep(String tag, String previous) throws InterruptedException {
        int a = attempt();
        RUNS.computeIfAbsent("chain-" + tag, k -> new AtomicInteger()).incrementAndGet();
        if (a == 1 && tag.equals("hang")) {
            Thread.sleep(600_000);
        }
        return previous + ">" + tag + "@" + a;
    }

    /** Echoes its input. */
    @Task(name = "f.echo")
    public String echo(String s) {
        return s;
    }

    /** Adds, counting its runs under the key "add". */
    @Task(name = "f.add")
    public int add(int a, int b) {
        RUNS.computeIfAbsent("add", k -> new AtomicInteger()).incrementAndGet();
        return a + b;
    }

    /** A chord member: its square, after a short pause so that members are in flight when a worker dies. */
    @Task(name = "f.chordMember")
    public int chordMember(int n) throws InterruptedException {
        Thread.sleep(20);
        return n * n;
    }

    /** A chord's error callback: counts its runs under "chord-error". */
    @Task(name = "f.chordError")
    public void chordError(io.taskq.TaskFailure failure) {
        RUNS.computeIfAbsent("chord-error", k -> new AtomicInteger()).incrementAndGet();
    }

    /** A chord callback: counts its runs under "chord-callback" and sums the results. */
    @Task(name = "f.chordSum")
    public int chordSum(java.util.List<Integer> values) {
        RUNS.computeIfAbsent("chord-callback", k -> new AtomicInteger()).incrementAndGet();
        return values.stream().mapToInt(Integer::intValue).sum();
    }
}
