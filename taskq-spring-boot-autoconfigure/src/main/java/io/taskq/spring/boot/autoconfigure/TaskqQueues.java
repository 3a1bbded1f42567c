package io.taskq.spring.boot.autoconfigure;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The queues this instance knows of: those its workers consume, then the configured ones. */
final class TaskqQueues {
    private TaskqQueues() {
    }

    static List<String> of(TaskqWorkers workers, TaskqProperties properties) {
        Set<String> queues = new LinkedHashSet<>();
        if (workers != null) {
            workers.running().forEach(r -> queues.addAll(r.options().queues()));
        }
        queues.addAll(properties.getWorker().getQueues());
        return List.copyOf(queues);
    }
}
