package io.taskq.dashboard;

/**
 * What a dashboard user may do. Every page is readable by both roles; only {@link #ADMIN} changes anything (pause a
 * queue, purge, resubmit, edit a periodic task...). A {@link #READ_ONLY} user sees task arguments only when the
 * dashboard is built with {@link TaskqDashboard.Builder#showArgumentsToReadOnly(boolean)}.
 */
public enum DashboardRole {
    /** Sees every page; changes nothing; no task arguments unless configured. */
    READ_ONLY,
    /** Sees everything and may change everything the dashboard offers. */
    ADMIN
}
