package io.taskq;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A task a worker holds, as {@link Control#active()} (running) and {@link Control#reserved()} (claimed ahead of a
 * free slot and held, not started) list it: Celery's {@code inspect active} / {@code inspect reserved} entries.
 *
 * @param id        the task's id
 * @param name      the task's name
 * @param queue     the queue it was claimed from
 * @param attempt   claims of the task so far, this one included (counted by the broker)
 * @param startedAt when this attempt started (the worker's clock); null for a held task, and for a running one in
 *                  the instant between taking its slot and starting
 * @param runtime   how long it has run when the worker replied; null when {@code startedAt} is
 * @param args      its arguments as JSON text cut to {@link Taskq.Builder#argsRepr} characters, or null when that
 *                  is off (the default)
 */
public record WorkerTask(String id, String name, String queue, int attempt, Instant startedAt, Duration runtime,
                         String args) {

    /** Checks the required fields. */
    public WorkerTask {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(queue, "queue");
    }
}
