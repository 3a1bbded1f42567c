package io.taskq.cli;

import io.lettuce.core.RedisURI;
import io.taskq.Taskq;
import io.taskq.redis.RedisBackend;
import io.taskq.scheduler.Scheduler;
import java.util.List;

/**
 * The connection of one CLI run, opened on first use: a {@link RedisBackend} under the environment's prefix, a
 * {@link Taskq} on its broker (no tasks, no workers: it only reads, revokes and resubmits), and a {@link Scheduler}
 * on its schedule store that is never started (it edits entries, it does not publish or lead).
 */
final class Session implements AutoCloseable {
    private final ConnectionSettings settings;
    private RedisBackend backend;
    private Taskq taskq;
    private Scheduler scheduler;

    Session(ConnectionSettings settings) {
        this.settings = settings;
    }

    ConnectionSettings settings() {
        return settings;
    }

    /** The taskq client, connecting on the first call. */
    synchronized Taskq taskq() {
        if (taskq == null) {
            backend = backend();
            taskq = Taskq.builder().broker(backend.broker()).applicationName("taskq-cli").build();
        }
        return taskq;
    }

    /** A scheduler for editing entries (never started), connecting on the first call. */
    synchronized Scheduler scheduler() {
        if (scheduler == null) {
            Taskq t = taskq();
            scheduler = Scheduler.builder().taskq(t).store(backend.scheduleStore()).leases(backend.leases())
                    // The CLI knows no task classes: an entry may name any task the workers run.
                    .allowUnregisteredTasks(true)
                    .instanceId("taskq-cli-" + ProcessHandle.current().pid())
                    .build();
        }
        return scheduler;
    }

    private RedisBackend backend() {
        List<RedisURI> uris = settings.uris();
        RedisBackend.Builder b = RedisBackend.builder().keyPrefix(settings.keyPrefix())
                .startupRetryTimeout(settings.startupWait());
        if (settings.cluster().isEmpty()) {
            b.uri(uris.get(0));
        } else {
            b.cluster(uris);
        }
        if (settings.trustStore() != null) {
            b.trustStore(settings.trustStore(), settings.trustStorePassword());
        }
        return b.build();
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.close();
        }
        if (taskq != null) {
            taskq.close();
        }
        if (backend != null) {
            backend.close();
        }
    }
}
