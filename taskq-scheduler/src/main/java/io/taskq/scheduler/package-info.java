/**
 * Schedules for periodic tasks: {@link io.taskq.scheduler.Schedule} (interval, cron, clocked, solar),
 * its storable form {@link io.taskq.scheduler.ScheduleSpec} and {@link io.taskq.scheduler.SolarEvent}.
 * Schedule computation is pure: no I/O, no clock.
 */
package io.taskq.scheduler;
