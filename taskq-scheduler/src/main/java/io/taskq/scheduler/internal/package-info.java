/**
 * Implementation details of {@code io.taskq.scheduler}: the scheduler engine and its parts (run-time edits, the
 * leader loop, run publishing), the stored entry format, the in-memory schedule store, run planning, annotation
 * scanning, the cron field model and DST-aware search, solar event windows. Not API; may change without notice.
 */
package io.taskq.scheduler.internal;
