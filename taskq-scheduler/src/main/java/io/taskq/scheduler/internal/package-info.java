/**
 * Implementation details of {@code io.taskq.scheduler}: the scheduler engine and its stored entry format, run
 * planning, annotation scanning, the cron field model and DST-aware search, solar event windows. Not API; may
 * change without notice.
 */
package io.taskq.scheduler.internal;
