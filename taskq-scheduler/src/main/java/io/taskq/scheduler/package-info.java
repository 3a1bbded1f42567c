/**
 * Periodic tasks for taskq (Celery beat with django-celery-beat's run-time editing).
 *
 * <p>{@link io.taskq.scheduler.Scheduler} publishes due runs, highly available through a lease, and edits the
 * entries ({@link io.taskq.scheduler.PeriodicTask}) kept in a shared {@link io.taskq.scheduler.spi.ScheduleStore},
 * with an audit trail ({@link io.taskq.scheduler.AuditRecord}). Entries can be declared in code with
 * {@link io.taskq.scheduler.Periodic}.
 *
 * <p>Schedules: {@link io.taskq.scheduler.Schedule} (interval, cron, clocked, solar), its storable form
 * {@link io.taskq.scheduler.ScheduleSpec} and {@link io.taskq.scheduler.SolarEvent}. Schedule computation is
 * pure: no I/O, no clock.
 */
package io.taskq.scheduler;
