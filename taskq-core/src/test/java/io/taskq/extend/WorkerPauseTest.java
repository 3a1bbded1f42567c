package io.taskq.extend;

import io.taskq.Taskq;

/** Pausing queues on the in-memory broker. */
class WorkerPauseTest extends WorkerPauseContract {
    @Override
    protected Taskq.Builder builder() {
        return Taskq.builder();
    }
}
