package io.taskq.spring.boot.autoconfigure;

/** What an instance runs besides submitting tasks ({@code taskq.roles}). */
public enum TaskqRole {
    /** Claims and runs tasks of the configured queues. */
    WORKER,
    /** Publishes periodic tasks (one leader among the instances that have this role). */
    SCHEDULER
}
