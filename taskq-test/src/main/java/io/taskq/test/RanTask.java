package io.taskq.test;

import io.taskq.TaskError;
import io.taskq.TaskState;

/**
 * One task run by {@link TestTaskq#runDue()}, as its worker reported it.
 *
 * @param id      task id
 * @param queue   its queue
 * @param task    task name
 * @param state   how this run ended: {@link TaskState#SUCCESS}, {@link TaskState#RETRY} (another attempt is
 *                scheduled: advance the clock by its backoff and run again), {@link TaskState#FAILURE} (dead-lettered)
 *                or {@link TaskState#REVOKED} (revoked, or expired before it ran)
 * @param attempt how many times the task has been claimed, this run included
 * @param error   the error of a failed run (RETRY, FAILURE), else null
 */
public record RanTask(String id, String queue, String task, TaskState state, int attempt, TaskError error) {
}
