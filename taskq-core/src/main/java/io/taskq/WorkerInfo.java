package io.taskq;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a running worker tells the worker registry of its namespace at each heartbeat, and what
 * {@link Taskq#workers()} lists (Celery's {@code inspect stats}, {@code active_queues} and {@code ping} in one
 * value). A snapshot: the counts are those of the last heartbeat.
 *
 * @param id                the worker's id ({@link Worker#id()})
 * @param nodeName          the name the application gave it ({@link WorkerOptions.Builder#nodeName}, Celery's
 *                          {@code -n}), by default "pid@host"
 * @param application       the application's name ({@link Taskq.Builder#applicationName}), or null if it set none
 * @param version           the taskq version the worker runs
 * @param host              the host it runs on
 * @param pid               its process id
 * @param queues            the queues it consumes, in its order
 * @param pausedQueues      those of them paused now ({@link Worker#pause})
 * @param concurrency       how many tasks it runs at once now ({@link Worker#concurrency()})
 * @param active            tasks running now ({@link Worker#activeCount()})
 * @param held              tasks claimed ahead and held ({@link Worker#heldCount()})
 * @param processed         attempts it finished since it started, whatever their outcome (success, failure, retry,
 *                          dead letter, revoke)
 * @param succeeded         of those, the successes
 * @param failed            of those, the failures (retried, dead-lettered or final)
 * @param healthy           {@link Worker#isHealthy()} at the heartbeat
 * @param startedAt         when it started
 * @param lastHeartbeat     when it sent this heartbeat (its own clock)
 * @param heartbeatInterval how often it sends one; it drops out of the registry after three missed heartbeats
 */
public record WorkerInfo(String id, String nodeName, String application, String version, String host, long pid,
                         List<String> queues, Set<String> pausedQueues, int concurrency, int active, int held,
                         long processed, long succeeded, long failed, boolean healthy, Instant startedAt,
                         Instant lastHeartbeat, Duration heartbeatInterval) {

    /** The order of {@link Taskq#workers()}: by node name, then id. */
    public static final Comparator<WorkerInfo> ORDER = Comparator.comparing(WorkerInfo::nodeName)
            .thenComparing(WorkerInfo::id);

    /** Checks the required fields and copies the collections. */
    public WorkerInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(nodeName, "nodeName");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(host, "host");
        queues = List.copyOf(queues);
        pausedQueues = Set.copyOf(pausedQueues);
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(lastHeartbeat, "lastHeartbeat");
        Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
    }

    /** The queues it claims from now: its queues minus the paused ones, in its order. */
    public List<String> activeQueues() {
        return queues.stream().filter(q -> !pausedQueues.contains(q)).toList();
    }
}
