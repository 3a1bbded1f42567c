package io.taskq.spring.boot.autoconfigure;

import io.taskq.Taskq;
import io.taskq.Worker;
import io.taskq.WorkerOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Starts one worker per {@link WorkerOptions} when the context has started, and drains them on shutdown: they stop
 * claiming, running tasks finish within their shutdown grace, the rest are interrupted and handed back to the
 * broker. All workers drain at once, in {@link TaskqLifecycle#PHASE}.
 */
public class TaskqWorkers implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(TaskqWorkers.class);

    private final Taskq taskq;
    private final List<WorkerOptions> options;
    private final List<Running> running = new CopyOnWriteArrayList<>();
    private volatile boolean started;

    /** A started worker with the options it was started with. */
    public record Running(Worker worker, WorkerOptions options) {
    }

    /** Workers of {@code taskq}, one per options. */
    public TaskqWorkers(Taskq taskq, List<WorkerOptions> options) {
        this.taskq = Objects.requireNonNull(taskq, "taskq");
        this.options = List.copyOf(options);
    }

    /** Starts the workers (none if no task is registered: an instance with nothing to run). */
    @Override
    public void start() {
        if (started) {
            return;
        }
        if (taskq.taskNames().isEmpty()) {
            log.info("no @Task beans in this application: no taskq worker started");
        } else {
            for (WorkerOptions o : options) {
                running.add(new Running(taskq.startWorker(o), o));
            }
        }
        started = true;
    }

    /** Drains the workers; blocks until they are closed. */
    @Override
    public void stop() {
        List<Running> toClose = new ArrayList<>(running);
        running.clear();
        started = false;
        toClose.forEach(r -> r.worker().close());
    }

    /** Drains the workers on threads of their own and calls {@code callback} when all are closed. */
    @Override
    public void stop(Runnable callback) {
        List<Running> toClose = new ArrayList<>(running);
        running.clear();
        started = false;
        if (toClose.isEmpty()) {
            callback.run();
            return;
        }
        AtomicInteger left = new AtomicInteger(toClose.size());
        for (Running r : toClose) {
            Thread t = new Thread(() -> {
                try {
                    r.worker().close();
                } finally {
                    if (left.decrementAndGet() == 0) {
                        callback.run();
                    }
                }
            }, "taskq-drain-" + r.worker().id());
            t.start();
        }
    }

    @Override
    public boolean isRunning() {
        return started;
    }

    @Override
    public int getPhase() {
        return TaskqLifecycle.PHASE;
    }

    /** The workers running now, with their options. */
    public List<Running> running() {
        return List.copyOf(running);
    }
}
