/**
 * Micrometer meters for taskq: task counters and timers per task, queue and outcome, queue depth, worker and
 * scheduler gauges, broker errors. Start from {@link io.taskq.micrometer.TaskqMetrics}; the meter names and tags
 * are listed in {@link io.taskq.micrometer.TaskqMeters} and in docs/metrics.md.
 *
 * <p>The scheduler's meters, {@link io.taskq.micrometer.SchedulerMetrics}, need taskq-scheduler on the class path
 * (an optional dependency of this module); the rest works without it.
 */
package io.taskq.micrometer;
