package io.taskq.extend;

import io.taskq.Taskq;

/** Pausing queues and changing the concurrency on the in-memory broker. */
class WorkerSteeringTest extends WorkerSteeringContract {
    @Override
    protected Taskq.Builder builder() {
        return Taskq.builder();
    }
}
