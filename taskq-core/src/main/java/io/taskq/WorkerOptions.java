package io.taskq;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a {@link Worker} runs: its concurrency and prefetch, the queues it consumes and in what order, its lease and
 * its shutdown behaviour. Immutable; build with {@link #builder()}.
 */
public final class WorkerOptions {

    /** How a worker chooses between its queues on each claim. */
    public enum QueueOrder {
        /** Always try queues in the order given: a later queue is served only when earlier ones are empty. */
        STRICT,
        /** Try queues in a random order drawn by weight, so that no queue starves (Sidekiq's weighted mode). */
        WEIGHTED
    }

    private final String workerId;
    private final String nodeName;
    private final Duration heartbeatInterval;
    private final int concurrency;
    private final int prefetch;
    private final boolean adaptivePrefetch;
    private final Map<String, Integer> queues;
    private final List<String> queueList;
    private final QueueOrder queueOrder;
    private final Duration lease;
    private final Duration leaseRenewInterval;
    private final Duration shutdownGrace;
    private final Duration abandonAfter;
    private final int maxAbandoned;
    private final Duration claimWait;
    private final int maxMessageBytes;

    private WorkerOptions(Builder b) {
        this.workerId = b.workerId;
        this.nodeName = b.nodeName;
        this.heartbeatInterval = b.heartbeatInterval;
        this.concurrency = b.concurrency;
        this.adaptivePrefetch = b.prefetch < 0;
        this.prefetch = adaptivePrefetch ? b.concurrency : b.prefetch;
        this.queues = Map.copyOf(b.queues.isEmpty() ? Map.of("default", 1) : b.queues);
        this.queueList = b.queues.isEmpty() ? List.of("default") : List.copyOf(b.queues.keySet());
        this.queueOrder = b.queueOrder;
        this.lease = b.lease;
        this.leaseRenewInterval = b.leaseRenewInterval != null ? b.leaseRenewInterval : b.lease.dividedBy(3);
        this.shutdownGrace = b.shutdownGrace;
        this.abandonAfter = b.abandonAfter;
        this.maxAbandoned = b.maxAbandoned >= 0 ? b.maxAbandoned : b.concurrency;
        this.claimWait = b.claimWait;
        this.maxMessageBytes = b.maxMessageBytes;
        if (leaseRenewInterval.compareTo(lease) >= 0) {
            throw new IllegalArgumentException("leaseRenewInterval must be shorter than lease");
        }
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The defaults: 8 threads, queue "default", 30 s lease, adaptive prefetch. */
    public static WorkerOptions defaults() {
        return builder().build();
    }

    /** Worker id recorded with each claim; null means one is generated from host and process id. */
    public String workerId() {
        return workerId;
    }

    /**
     * The name the worker registry shows for this worker (Celery's {@code -n}); null means "pid@host" of the
     * process.
     */
    public String nodeName() {
        return nodeName;
    }

    /**
     * How often the worker tells the worker registry that it lives ({@link Taskq#workers()}); it drops out after
     * three missed heartbeats.
     */
    public Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    /** Number of tasks run at the same time. */
    public int concurrency() {
        return concurrency;
    }

    /**
     * The most tasks the worker claims beyond its free slots and holds, ready to start the moment a slot frees
     * (0: none, only free slots are claimed). With {@link #adaptivePrefetch()} it holds that many (the
     * concurrency) only while its tasks are short, and none otherwise.
     */
    public int prefetch() {
        return prefetch;
    }

    /**
     * Whether the worker decides by itself when to hold tasks (the default; see
     * {@link Builder#adaptivePrefetch()}), rather than always holding up to {@link #prefetch()}.
     */
    public boolean adaptivePrefetch() {
        return adaptivePrefetch;
    }

    /** Queues consumed, in the given order. */
    public List<String> queues() {
        return queueList;
    }

    /** Weight of a queue for {@link QueueOrder#WEIGHTED}. */
    public int weight(String queue) {
        return queues.getOrDefault(queue, 0);
    }

    /** Strict or weighted. */
    public QueueOrder queueOrder() {
        return queueOrder;
    }

    /** Lease of a claimed task; renewed while it runs. */
    public Duration lease() {
        return lease;
    }

    /** How often running tasks' leases are renewed. */
    public Duration leaseRenewInterval() {
        return leaseRenewInterval;
    }

    /** How long {@link Worker#close()} lets running tasks finish before handing them back. */
    public Duration shutdownGrace() {
        return shutdownGrace;
    }

    /** How long a task that ran past its time limit may ignore the interrupt before its slot is freed. */
    public Duration abandonAfter() {
        return abandonAfter;
    }

    /** How many abandoned threads are tolerated; beyond it the worker stops claiming. */
    public int maxAbandoned() {
        return maxAbandoned;
    }

    /** Longest wait for work in one claim call. */
    public Duration claimWait() {
        return claimWait;
    }

    /** Largest message body the worker accepts; larger ones are dead-lettered. */
    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    /** Builds {@link WorkerOptions}. */
    public static final class Builder {
        private String workerId;
        private String nodeName;
        private Duration heartbeatInterval = Duration.ofSeconds(5);
        private int concurrency = 8;
        /** -1: adaptive. */
        private int prefetch = -1;
        private final Map<String, Integer> queues = new LinkedHashMap<>();
        private QueueOrder queueOrder = QueueOrder.STRICT;
        private Duration lease = Duration.ofSeconds(30);
        private Duration leaseRenewInterval;
        private Duration shutdownGrace = Duration.ofSeconds(25);
        private Duration abandonAfter = Duration.ofSeconds(5);
        private int maxAbandoned = -1;
        private Duration claimWait = Duration.ofSeconds(2);
        private int maxMessageBytes = 1 << 20;

        private Builder() {
        }

        /** Sets the worker id. */
        public Builder workerId(String workerId) {
            this.workerId = Objects.requireNonNull(workerId);
            return this;
        }

        /**
         * The name of this worker in the worker registry ({@link Taskq#workers()}), like Celery's {@code -n}: say
         * which part of the application it is ("emails@web-3"); several workers may share one. Default: "pid@host"
         * of the process.
         */
        public Builder nodeName(String nodeName) {
            Objects.requireNonNull(nodeName, "nodeName");
            if (nodeName.isBlank()) {
                throw new IllegalArgumentException("nodeName must not be blank");
            }
            this.nodeName = nodeName;
            return this;
        }

        /**
         * How often the worker heartbeats into the worker registry (default 5 s, at least 100 ms). A worker that
         * stops heartbeating (killed, frozen, cut off from the broker) drops out of {@link Taskq#workers()} within
         * three intervals; one that closes drops out at once.
         */
        public Builder heartbeatInterval(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.toMillis() < 100) {
                throw new IllegalArgumentException("heartbeatInterval must be at least 100 ms");
            }
            this.heartbeatInterval = interval;
            return this;
        }

        /** Sets how many tasks run at once (default 8). */
        public Builder concurrency(int concurrency) {
            if (concurrency < 1) {
                throw new IllegalArgumentException("concurrency must be positive");
            }
            this.concurrency = concurrency;
            return this;
        }

        /**
         * Holds up to the concurrency in claimed tasks beyond the free slots while the worker's tasks are short, and
         * none while they are long (the default). A slot that frees takes the oldest held task at once, so a worker
         * with short tasks never waits a broker round trip between two tasks, while long or uneven tasks never sit
         * behind each other in one worker when another could run them.
         *
         * <p>Short means a moving average of run times under 1 ms (holding starts) or up to 2 ms (holding goes
         * on); above 2 ms the worker stops holding and claims only for free slots. A held task that waits 50 ms
         * for a slot (every slot taken by tasks far longer than the average) stops holding at once, and the worker
         * hands what it holds back to the broker, so other workers can take it.
         */
        public Builder adaptivePrefetch() {
            this.prefetch = -1;
            return this;
        }

        /**
         * Always claims up to {@code n} tasks beyond the free slots and holds them in the worker, whatever their
         * run times (0: never hold, claim for free slots only), instead of {@link #adaptivePrefetch()}. A slot that
         * frees takes the oldest held task at once, and the claims that refill the slots also top up the held
         * tasks.
         *
         * <p>Held tasks are claimed tasks: their leases are renewed like those of running tasks, a revoke ends
         * them REVOKED without running, and {@link Worker#close()} hands them back to the broker at once. Expiry
         * is checked and time limits start when a held task starts, not when it is claimed. The cost: a held task
         * waits for a slot of its own worker even when another worker is idle, so use 0 for long or uneven tasks
         * if adaptive prefetch does not suit them.
         *
         * @param n tasks held beyond the free slots, 0 or more
         */
        public Builder prefetch(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("prefetch must not be negative");
            }
            this.prefetch = n;
            return this;
        }

        /** Consumes these queues, in this order (default: "default"). Replaces earlier queues. */
        public Builder queues(String... names) {
            queues.clear();
            for (String name : names) {
                queue(name, 1);
            }
            return this;
        }

        /** Adds a queue with a weight for {@link QueueOrder#WEIGHTED} order. */
        public Builder queue(String name, int weight) {
            Objects.requireNonNull(name, "name");
            if (weight < 1) {
                throw new IllegalArgumentException("weight must be positive");
            }
            queues.put(name, weight);
            return this;
        }

        /** Strict (default) or weighted queue order. */
        public Builder queueOrder(QueueOrder order) {
            this.queueOrder = Objects.requireNonNull(order);
            return this;
        }

        /** Lease of a claimed task (default 30 s): how soon a dead worker's tasks run elsewhere. */
        public Builder lease(Duration lease) {
            if (lease.toMillis() < 100) {
                throw new IllegalArgumentException("lease must be at least 100 ms");
            }
            this.lease = lease;
            return this;
        }

        /** How often leases are renewed (default a third of the lease). */
        public Builder leaseRenewInterval(Duration interval) {
            this.leaseRenewInterval = Objects.requireNonNull(interval);
            return this;
        }

        /** Grace period for running tasks on close (default 25 s). */
        public Builder shutdownGrace(Duration grace) {
            this.shutdownGrace = Objects.requireNonNull(grace);
            return this;
        }

        /**
         * How long a task past its time limit may ignore the interrupt (default 5 s). After that the attempt is
         * failed with a time-limit error, its slot is given to new work and its thread is abandoned: the thread
         * keeps running until the task returns, and whatever it returns is discarded.
         */
        public Builder abandonAfter(Duration abandonAfter) {
            this.abandonAfter = Objects.requireNonNull(abandonAfter);
            return this;
        }

        /**
         * How many abandoned threads the worker tolerates (default: the concurrency). Beyond that number it stops
         * claiming and reports itself unhealthy until some of them end, so runaway tasks cannot multiply threads
         * without bound. 0 means a single runaway task stops the worker from claiming.
         */
        public Builder maxAbandoned(int maxAbandoned) {
            if (maxAbandoned < 0) {
                throw new IllegalArgumentException("maxAbandoned must not be negative");
            }
            this.maxAbandoned = maxAbandoned;
            return this;
        }

        /** Longest wait for work in one claim call (default 2 s). */
        public Builder claimWait(Duration claimWait) {
            this.claimWait = Objects.requireNonNull(claimWait);
            return this;
        }

        /** Largest message body accepted (default 1 MiB). */
        public Builder maxMessageBytes(int bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("maxMessageBytes must be at least 1024");
            }
            this.maxMessageBytes = bytes;
            return this;
        }

        /** Builds the options. */
        public WorkerOptions build() {
            return new WorkerOptions(this);
        }
    }
}
