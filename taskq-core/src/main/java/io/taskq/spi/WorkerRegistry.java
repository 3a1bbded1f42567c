package io.taskq.spi;

import io.taskq.WorkerInfo;
import java.time.Duration;
import java.util.List;

/**
 * The live workers of a broker's namespace (every process sharing the broker): each worker sends its
 * {@link WorkerInfo} at every heartbeat with a time to live, and is listed until that passes without another
 * heartbeat, or until it removes itself at close. A broker that keeps one returns it from
 * {@link Broker#workerRegistry()}; {@code Taskq.workers()} lists it. All methods are thread-safe.
 */
public interface WorkerRegistry {

    /** Most workers {@link #live()} lists; a namespace with more lists an arbitrary part of them. */
    int MAX_LISTED = 1000;

    /**
     * Records {@code info} (replacing the worker's previous entry) and keeps it live for {@code ttl} from now, by
     * the broker's clock.
     */
    void heartbeat(WorkerInfo info, Duration ttl);

    /** Removes a worker's entry at once (its close); nothing if there is none. */
    void remove(String workerId);

    /**
     * The workers whose last heartbeat's time to live has not passed, at most {@link #MAX_LISTED}, in no
     * particular order. Entries that expired may be cleaned up on the way.
     */
    List<WorkerInfo> live();
}
