/**
 * Implementation details of {@code io.taskq.scheduler}: cron field model and DST-aware search, solar
 * event windows. Not API; may change without notice.
 */
package io.taskq.scheduler.internal;
