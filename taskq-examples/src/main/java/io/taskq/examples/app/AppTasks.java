package io.taskq.examples.app;

import io.taskq.Task;
import io.taskq.scheduler.Periodic;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The application's tasks: an image job that takes a while, and a periodic clean-up. */
public class AppTasks {
    private static final Logger log = LoggerFactory.getLogger(AppTasks.class);
    private final AtomicLong cleanups = new AtomicLong();

    /** Pretends to render an image for {@code millis}; interruptible, so a drain or a revoke stops it. */
    @Task(name = "app.render", queue = "default", maxRetries = 3, timeLimit = "5m")
    public String render(String image, long millis) throws InterruptedException {
        log.info("rendering {}", image);
        Thread.sleep(millis);
        return image + ".png";
    }

    /** Runs every minute on whichever instance leads the scheduler. */
    @Task(name = "app.cleanup")
    @Periodic(name = "cleanup-every-minute", cron = "* * * * *", expires = "50s",
            description = "removes stale uploads")
    public long cleanup() {
        long n = cleanups.incrementAndGet();
        log.info("clean-up run {}", n);
        return n;
    }
}
