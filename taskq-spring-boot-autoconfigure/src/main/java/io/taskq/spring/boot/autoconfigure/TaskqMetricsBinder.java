package io.taskq.spring.boot.autoconfigure;

import io.taskq.Taskq;
import io.taskq.Worker;
import io.taskq.micrometer.TaskqMetrics;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;

/**
 * Binds the queue gauges of the {@link Taskq} and the gauges of the workers {@link TaskqWorkers} started, right
 * after they start (one phase after them), and unbinds the workers' gauges before they stop.
 */
public class TaskqMetricsBinder implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(TaskqMetricsBinder.class);

    private final TaskqMetrics metrics;
    private final ObjectProvider<Taskq> taskq;
    private final ObjectProvider<TaskqWorkers> workers;
    private final List<Worker> bound = new ArrayList<>();
    private boolean queuesBound;
    private volatile boolean running;

    /** Binds {@code taskq}'s queues and {@code workers}' workers, where there are such beans. */
    public TaskqMetricsBinder(TaskqMetrics metrics, ObjectProvider<Taskq> taskq,
                              ObjectProvider<TaskqWorkers> workers) {
        this.metrics = metrics;
        this.taskq = taskq;
        this.workers = workers;
    }

    @Override
    public synchronized void start() {
        Taskq t = taskq.getIfAvailable();
        if (t != null && !queuesBound) {
            try {
                metrics.bind(t);
                queuesBound = true;
            } catch (UnsupportedOperationException e) {
                log.info("no queue gauges: {}", e.getMessage());
            }
        }
        TaskqWorkers w = workers.getIfAvailable();
        if (w != null) {
            for (TaskqWorkers.Running r : w.running()) {
                metrics.bind(r.worker());
                bound.add(r.worker());
            }
        }
        running = true;
    }

    @Override
    public synchronized void stop() {
        bound.forEach(metrics::unbind);
        bound.clear();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** One phase after the workers: started after them, stopped before them. */
    @Override
    public int getPhase() {
        return TaskqLifecycle.PHASE + 1;
    }
}
