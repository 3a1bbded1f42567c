package io.taskq.examples.app;

import io.taskq.Taskq;
import io.taskq.WorkerOptions;
import io.taskq.examples.ExampleEnvironment;
import io.taskq.scheduler.Scheduler;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * A small application that embeds taskq's workers and scheduler, configured from the environment
 * ({@link AppConfig}), as it runs under systemd (docs/deployment.md). On SIGTERM it stops taking work, lets
 * running tasks finish within the grace period, hands the rest back to the broker and exits 0; a {@code kill -9}
 * loses nothing either, since the broker redelivers a dead worker's tasks when their lease runs out.
 */
public final class TaskqApplication {
    private static final Logger log = LoggerFactory.getLogger(TaskqApplication.class);

    private TaskqApplication() {
    }

    /** Starts the application and blocks until SIGTERM or SIGINT. */
    public static void main(String[] args) throws InterruptedException {
        AppConfig config = AppConfig.fromEnv(System.getenv());
        AppTasks tasks = new AppTasks();
        Taskq taskq = ExampleEnvironment.taskqBuilder(config.redisUrl(), config.keyPrefix()).tasks(tasks).build();
        Scheduler scheduler = null;
        if (config.runsScheduler()) {
            scheduler = ExampleEnvironment.schedulerBuilder(taskq).declare(tasks).build().start();
        }
        if (config.runsWorker()) {
            taskq.startWorker(WorkerOptions.builder()
                    .concurrency(config.concurrency())
                    .queues(config.queues().toArray(String[]::new))
                    .lease(config.lease())
                    .shutdownGrace(config.shutdownGrace())
                    .build());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean stopping = new AtomicBoolean();
        Scheduler schedulerToClose = scheduler;
        Runnable drain = () -> {
            if (stopping.compareAndSet(false, true)) {
                log.info("stopping: draining running tasks (grace {})", config.shutdownGrace());
                if (schedulerToClose != null) {
                    schedulerToClose.close();
                }
                taskq.close();
                ExampleEnvironment.closeBroker();
                log.info("stopped cleanly");
                stopped.countDown();
            }
        };
        // SIGTERM is how systemd stops a service: drain, then exit 0 so the stop is not reported as a failure.
        Signal.handle(new Signal("TERM"), s -> new Thread(drain, "taskq-drain").start());
        Signal.handle(new Signal("INT"), s -> new Thread(drain, "taskq-drain").start());
        log.info("taskq application ready: broker {}, prefix {}, roles {}, queues {}, concurrency {}",
                config.redisUrl().isPresent() ? "redis" : "in-memory", config.keyPrefix(), config.roles(),
                config.queues(), config.concurrency());
        stopped.await();
        System.exit(0);
    }
}
