package io.taskq.redis.internal;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandInterruptedException;
import io.taskq.redis.internal.Partitions.Where;
import io.taskq.redis.internal.QueueScripts.Call;
import io.taskq.spi.ClaimRequest;
import io.taskq.spi.Delivery;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims for the broker: one claim script per queue (partition) in the claim order until the request is filled;
 * idle, it waits on the queues' markers (see {@link MarkerWait}) instead of polling, with a claim sent ahead behind
 * the wait where it can, and remembers a consumer's dry queues ({@link DryHints}) to wait first next time.
 * Thread-safe.
 */
public final class Claimer {
    private static final Logger log = LoggerFactory.getLogger(Claimer.class);
    /** The claim script's wake-up value when it claimed as many as asked: the queue may hold more ready work. */
    static final long NOT_DRY = -2;
    /** With a non-system clock, idle waits are sliced so that a test moving the clock is noticed soon. */
    static final long TEST_CLOCK_SLICE_MS = 50;
    private static final double BAND = 562949953421312d;

    private final QueueScripts calls;
    private final Connections conns;
    private final Partitions partitions;
    private final QueueRegistry registry;
    private final MarkerWait markerWait;
    private final ClaimFence claimFence;
    private final Clock clock;
    private final boolean systemClock;
    private final long commandTimeoutMs;
    private final Runnable checkOpen;
    private final DryHints dryHints = new DryHints();
    /**
     * Consumers with a claim waiting on the markers right now (consumer id → how many). A finish of such a consumer
     * does not refill the slots it frees: the waiting claim is woken by any work that arrives (everything that makes
     * work claimable sets a marker), so a refill would only find the queue empty, as it does at low load, where it
     * cost a read per task.
     */
    private final Map<String, Integer> markerWaits = new ConcurrentHashMap<>();
    /** Whether claims may be sent ahead behind marker waits; turned off for good if the server refuses them. */
    private volatile boolean claimAhead = true;

    /** A claimer for one broker; {@code checkOpen} throws once the broker is closed. */
    public Claimer(QueueScripts calls, Connections conns, Partitions partitions, QueueRegistry registry,
                   BrokerConfig config, Runnable checkOpen) {
        this.calls = calls;
        this.conns = conns;
        this.partitions = partitions;
        this.registry = registry;
        this.markerWait = new MarkerWait(conns);
        this.clock = config.clock();
        this.systemClock = config.systemClock();
        this.commandTimeoutMs = config.endpoint().commandTimeout().toMillis();
        this.claimFence = new ClaimFence(systemClock, commandTimeoutMs);
        this.checkOpen = checkOpen;
    }

    /** The fences claims carry (see ClaimFence); finish-and-claim's claims carry them too. */
    public ClaimFence fence() {
        return claimFence;
    }

    /** Whether a claim of this consumer waits on the markers right now. */
    public boolean waitingOnMarkers(String consumerId) {
        return markerWaits.containsKey(consumerId);
    }

    /** Claims as {@link io.taskq.spi.Broker#claim} describes. */
    public List<Delivery> claim(ClaimRequest request) throws InterruptedException {
        long deadline = System.nanoTime() + request.maxWait().toNanos();
        for (String q : request.queues()) {
            registry.register(q, partitions.of(q)); // queues filled before the registry existed get listed too
        }
        String[] markers = markers(request.queues());
        ClaimRound round = null;
        Long dryWake = dryHints.take(request, System.nanoTime());
        if (dryWake != null) {
            // After a claim that got fewer tasks than asked, the worker asks again at once for the remaining slots:
            // those queues were dry, so wait on the markers first instead of running an empty claim.
            long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (leftMs > 0) {
                round = waitThenClaim(request, markers, waitMs(leftMs, dryWake, clock.millis(), systemClock));
            }
        }
        while (true) {
            checkOpen.run();
            if (round == null) {
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                round = claimNow(request);
            }
            if (round.failure != null) {
                if (round.out.isEmpty()) {
                    // Nothing claimed and a queue failed: the caller sees the failure (and reports unhealthy).
                    throw round.failure;
                }
                log.debug("claim: some queues failed, delivering what the others had: {}", round.failure.toString());
                return round.out;
            }
            long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (!round.out.isEmpty() || leftMs <= 0) {
                if (round.allDry) {
                    dryHints.put(request, round.nextWake, System.nanoTime());
                }
                return round.out;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            round = waitThenClaim(request, markers, waitMs(leftMs, round.nextWake, clock.millis(), systemClock));
        }
    }

    private String[] markers(List<String> queues) {
        List<String> markerList = new ArrayList<>();
        for (String q : queues) {
            for (String p : partitions.all(q)) {
                markerList.add(calls.keys().queue(p)[Keys.MARKER]);
            }
        }
        return markerList.toArray(new String[0]);
    }

    /**
     * Whether an error of a claim sent ahead says that this form of claim cannot work here: raised inside the script
     * (an ACL refusing TIME reads "ERR The user executing the script can't run this command ... @user_script") or a
     * refused permission. Other errors (LOADING after a restart, BUSY, MASTERDOWN) pass, like any claim's failure.
     */
    public static boolean refusesClaimAhead(String message) {
        return message != null && (message.contains("@user_script") || message.contains("@user_function")
                || message.contains("NOPERM") || message.contains("no permissions"));
    }

    /**
     * How long an idle claim waits on the markers: what is left of its wait, at most until the next wake-up
     * ({@code nextWakeMs}, -1 for none; {@code nowMs} by the broker's clock), and with a test clock at most
     * {@link #TEST_CLOCK_SLICE_MS}.
     */
    static long waitMs(long leftMs, long nextWakeMs, long nowMs, boolean systemClock) {
        long waitMs = leftMs;
        if (nextWakeMs >= 0) {
            waitMs = Math.min(waitMs, Math.max(1, nextWakeMs - nowMs + 1));
            if (!systemClock) {
                waitMs = Math.min(waitMs, TEST_CLOCK_SLICE_MS);
            }
        }
        return waitMs;
    }

    /** What one pass over the requested queues claimed, and whether every queue ran dry (with the next wake-up). */
    static final class ClaimRound {
        final List<Delivery> out = new ArrayList<>();
        long nextWake = -1;
        boolean allDry = true;
        RuntimeException failure;

        void wake(long wake) {
            if (wake == NOT_DRY) {
                allDry = false;
            } else if (wake >= 0 && (nextWake < 0 || wake < nextWake)) {
                nextWake = wake;
            }
        }
    }

    /** One claim pass over the requested queues, in order, until the request is filled. */
    private ClaimRound claimNow(ClaimRequest request) throws InterruptedException {
        ClaimRound round = new ClaimRound();
        for (Where w : partitions.claimOrder(request.queues())) {
            if (round.out.size() >= request.max()) {
                round.allDry = false;
                break;
            }
            try {
                round.wake(claimFrom(w, request, request.max() - round.out.size(), round.out));
            } catch (RedisCommandInterruptedException e) {
                // The worker is stopping; report it as the interrupt it is, not as a broker failure. What the
                // other queues gave goes to the caller, which hands it back (see Broker#claim).
                if (round.out.isEmpty()) {
                    Thread.interrupted();
                    throw new InterruptedException("claim interrupted");
                }
                round.allDry = false;
                return round;
            } catch (RuntimeException e) {
                // One unreachable shard (failover in progress) must not stop consumption from the others.
                if (round.failure == null) {
                    round.failure = e;
                }
            }
        }
        return round;
    }

    /**
     * Waits on the markers, then claims. A consumer of one queue (one partition) with the system clock gets its
     * claim sent ahead, queued behind the blocking pop on the waiting connection (see
     * {@link MarkerWait#awaitThen}): the claim then runs the moment the pop returns, which saves a woken worker a
     * round trip and a thread hand-off. Since it runs later than it was sent, it takes its time from Redis (the
     * later of Redis's clock and the sender's, see begin() in lib-begin.lua). Otherwise, or if the claim sent ahead
     * was refused (NOSCRIPT after a restart, READONLY after a failover: it did not run), this only waits and returns
     * null, and the caller claims as usual.
     */
    private ClaimRound waitThenClaim(ClaimRequest request, String[] markers, long waitMs)
            throws InterruptedException {
        String consumer = request.consumerId();
        markerWaits.merge(consumer, 1, Integer::sum);
        try {
            return waitThenClaimCounted(request, markers, waitMs);
        } finally {
            markerWaits.computeIfPresent(consumer, (k, n) -> n == 1 ? null : n - 1);
        }
    }

    private ClaimRound waitThenClaimCounted(ClaimRequest request, String[] markers, long waitMs)
            throws InterruptedException {
        List<Where> order = partitions.claimOrder(request.queues());
        if (!claimAhead || !systemClock || order.size() != 1) {
            markerWait.await(markers, waitMs);
            return null;
        }
        Where w = order.get(0);
        long fence = claimFence.forClaimAhead(waitMs);
        Call c = claimCall(w, request, request.max(), Long.toString(fence));
        String[] argv = c.argv();
        argv[1] = ""; // no time of its own: begin() reads Redis's clock
        long timeoutMs = waitMs + MarkerWait.GRACE_MS + commandTimeoutMs;
        List<Object> r;
        try {
            r = markerWait.awaitThen(markers, waitMs,
                    a -> calls.scripts().sendBehindWait(a, c.script(), c.keys(), argv, timeoutMs));
        } catch (RedisCommandInterruptedException e) {
            Thread.interrupted();
            throw new InterruptedException("claim interrupted");
        } catch (RuntimeException e) {
            return claimAheadFailed(e);
        }
        if (r == null || claimFence.fenced(r, fence)) {
            return null; // not run, or it ran past its fence and claimed nothing: claim the ordinary way
        }
        ClaimRound round = new ClaimRound();
        round.wake(readClaim(w.queue(), r, round.out));
        if (round.out.isEmpty() && Thread.interrupted()) {
            throw new InterruptedException("claim interrupted");
        }
        // Interrupted or not, what the claim behind the wait got goes to the caller, which hands it back if it is
        // stopping (see Broker#claim): the interrupt status stays set for it to see.
        return round;
    }

    /** A claim sent ahead failed: null (claim the ordinary way) if it did not run or cannot work, else the failure. */
    private ClaimRound claimAheadFailed(RuntimeException e) {
        if (Scripts.refusedBeforeRunning(e)) {
            return null;
        }
        if (e instanceof RedisCommandExecutionException && refusesClaimAhead(e.getMessage())) {
            // The server refuses this form (an ACL without TIME, say): claim the ordinary way from now on.
            claimAhead = false;
            log.warn("claims sent ahead of a marker wait are refused ({}); claiming after each wait instead",
                    e.getMessage());
            return null;
        }
        ClaimRound failed = new ClaimRound();
        failed.failure = e;
        return failed;
    }

    /**
     * Claims from one queue into {@code out}; returns {@link #NOT_DRY} if it got as many as asked, else the queue's
     * next wake-up time (-1 if none).
     */
    private long claimFrom(Where w, ClaimRequest request, int max, List<Delivery> out) {
        String fence = claimFence.forCall();
        Call c = claimCall(w, request, max, fence);
        List<Object> r = calls.scripts().runWaitingOut(conns, c.script(), c.keys(), c.argv());
        if (claimFence.fenced(r, fence.isEmpty() ? -1 : Long.parseLong(fence))) {
            return NOT_DRY; // it reached Redis too late and claimed nothing; the marker is set again if work is ready
        }
        long wake = readClaim(w.queue(), r, out);
        if (Thread.currentThread().isInterrupted()) {
            // The worker stops: claimNow hands what this call claimed back.
            throw new RedisCommandInterruptedException(new InterruptedException("claim interrupted"));
        }
        return wake;
    }

    private Call claimCall(Where w, ClaimRequest request, int max, String fence) {
        // The tasks claimed before this call (other queues of the request) took the first free slots.
        int startNow = Math.max(0, request.startNow() - (request.max() - max));
        return calls.claim(w.queue(), w.physical(), request.consumerId(), max, request.lease().toMillis(), startNow,
                fence);
    }

    /** Reads a claim script's answer into {@code out}; returns its wake-up value (see claim.lua). */
    public static long readClaim(String queue, List<?> r, List<Delivery> out) {
        int count = ((Long) r.get(0)).intValue();
        for (int i = 0; i < count; i++) {
            int b = 2 + i * 4;
            String id = (String) r.get(b);
            int attempt = ((Long) r.get(b + 1)).intValue();
            long token = Long.parseLong((String) r.get(b + 2));
            String job = (String) r.get(b + 3);
            int nl1 = job.indexOf('\n');
            int nl2 = job.indexOf('\n', nl1 + 1);
            double score = Double.parseDouble(job.substring(0, nl1));
            int priority = Math.max(0, 9 - (int) Math.floor(score / BAND)); // a hand-written score may be off
            out.add(new Delivery(id, queue, job.substring(nl1 + 1, nl2), priority, job.substring(nl2 + 1), attempt,
                    token));
        }
        return (Long) r.get(1);
    }

    /** Stops the marker waits. */
    public void close() {
        markerWait.close();
    }
}
