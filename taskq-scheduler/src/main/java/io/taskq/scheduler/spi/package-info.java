/**
 * What a schedule store implements: {@link io.taskq.scheduler.spi.ScheduleStore} keeps the scheduler's entries
 * ({@link io.taskq.scheduler.spi.ScheduleRecord}, opaque JSON with a version) and their audit trail
 * ({@link io.taskq.scheduler.spi.ScheduleAuditRecord}). The in-memory and Redis stores pass the same contract suite,
 * {@code ScheduleStoreContractTest} in this module's test jar.
 */
package io.taskq.scheduler.spi;
