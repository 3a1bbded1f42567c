package io.taskq.spring.boot.autoconfigure;

import io.taskq.Taskq;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;

/** What this instance runs, as the health indicator and the endpoint see it: taskq, its workers, its scheduler. */
final class LocalTaskq {
    private final Taskq taskq;
    private final ObjectProvider<TaskqWorkers> workers;
    private final ObjectProvider<TaskqSchedulerStatus> scheduler;
    private final TaskqProperties properties;

    LocalTaskq(Taskq taskq, ObjectProvider<TaskqWorkers> workers, ObjectProvider<TaskqSchedulerStatus> scheduler,
               TaskqProperties properties) {
        this.taskq = taskq;
        this.workers = workers;
        this.scheduler = scheduler;
        this.properties = properties;
    }

    Taskq taskq() {
        return taskq;
    }

    /** The workers running here. */
    List<TaskqWorkers.Running> workers() {
        TaskqWorkers w = workers.getIfAvailable();
        return w == null ? List.of() : w.running();
    }

    /** The scheduler of this instance, if it has one. */
    Optional<TaskqSchedulerStatus> scheduler() {
        return Optional.ofNullable(scheduler.getIfAvailable());
    }

    /** The queues this instance knows of: those its workers consume, then the configured ones. */
    List<String> queues() {
        Set<String> queues = new LinkedHashSet<>();
        workers().forEach(r -> queues.addAll(r.options().queues()));
        queues.addAll(properties.getWorker().getQueues());
        return List.copyOf(queues);
    }
}
