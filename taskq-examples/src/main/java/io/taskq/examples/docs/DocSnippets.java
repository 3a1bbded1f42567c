package io.taskq.examples.docs;

import java.util.List;
import java.util.Map;
import io.taskq.TaskContext;
import io.taskq.DeadLetterFilter;
import io.taskq.QueueStats;
import io.taskq.RetryPolicy;
import io.taskq.Task;
import io.taskq.Event;
import io.taskq.EventPage;
import io.taskq.Events;
import io.taskq.TaskEvent;
import io.taskq.TaskFailedException;
import io.taskq.TaskHandle;
import io.taskq.TaskRequest;
import io.taskq.TaskRevokedException;
import io.taskq.TaskState;
import io.taskq.Taskq;
import io.taskq.Worker;
import io.taskq.Control;
import io.taskq.WorkerInfo;
import io.taskq.WorkerTask;
import io.taskq.WorkerOptions;
import io.taskq.redis.RedisBackend;
import io.taskq.redis.RedisBroker;
import io.taskq.redis.RedisScheduleStore;
import io.taskq.scheduler.Periodic;
import io.taskq.scheduler.PeriodicTask;
import io.taskq.scheduler.Schedule;
import io.taskq.scheduler.Scheduler;
import io.taskq.scheduler.SchedulerListener;
import io.taskq.scheduler.spi.ScheduleStore;
import io.taskq.spi.Broker;
import io.taskq.spi.DeadLetterPage;
import io.taskq.spi.TaskSummary;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Java snippets of README.md and docs/, compiled. {@code DocSnippetsTest} checks that every statement line of
 * a snippet occurs in a source file, so a snippet cannot drift from the API. Keep the lines here identical to the
 * docs' lines.
 */
@SuppressWarnings("unused")
public final class DocSnippets {
    private static final Logger log = LoggerFactory.getLogger(DocSnippets.class);

    private DocSnippets() {
    }

    /** Stands for the application's mail gateway. */
    public interface Mailer {
        /** Sends and returns a receipt. */
        String send(String to, String subject) throws IOException;
    }

    /** README quick start. */
    public static class EmailTasks {
        private final Mailer mailer;

        /** Creates the tasks. */
        public EmailTasks(Mailer mailer) {
            this.mailer = mailer;
        }

        /** Sends an e-mail. */
        @Task(name = "email.send", queue = "email", maxRetries = 5, retryOn = IOException.class)
        public String send(String to, String subject) throws IOException {
            return mailer.send(to, subject);          // your code
        }
    }

    /** docs/concepts.md: the worker registry, every live worker of the namespace. */
    static Worker workerRegistry(Taskq taskq) {
        Worker worker = taskq.startWorker(WorkerOptions.builder().nodeName("emails@web-3").queues("email")
                .heartbeatInterval(Duration.ofSeconds(5)).build());
        for (WorkerInfo w : taskq.workers()) {   // every process sharing the broker
            log.info("{} {} ({}, taskq {}) on {}: queues {}, {} of {} running, {} processed, {} failed, seen {}",
                    w.nodeName(), w.id(), w.application(), w.version(), w.host(), w.activeQueues(), w.active(),
                    w.concurrency(), w.processed(), w.failed(), w.lastHeartbeat());
        }
        return worker;
    }

    /** docs/concepts.md: a running task reports its progress. */
    static boolean progress(String s) {
        TaskContext ctx = TaskContext.current().orElseThrow();
        ctx.updateState("CONVERTING", Map.of("file", s, "percent", 50));
        return ctx.softTimeLimitExceeded();
    }

    /** docs/operations.md: remote control of the workers of every process sharing the broker. */
    static void remoteControl(Taskq taskq, String taskId) {
        Control control = taskq.control().timeout(Duration.ofSeconds(2));   // to every worker
        for (Control.Reply<java.util.List<WorkerTask>> r : control.active().values()) {
            if (r.ok()) {
                for (WorkerTask t : r.value()) {
                    log.info("{} runs {} {} for {} (attempt {})", r.nodeName(), t.name(), t.id(), t.runtime(),
                            t.attempt());
                }
            } else {
                log.warn("{} failed: {}", r.workerId(), r.error());
            }
        }
        Control node7 = taskq.control().destination("emails@web-7");   // a node name or a worker id
        node7.pause("email");                                            // cancel_consumer
        node7.setConcurrency(16);                                        // pool_grow
        node7.resume("email");                                           // add_consumer
        taskq.control().revoke(taskId);                                  // through the broker
    }

    /** docs/workflows.md#lineage: a workflow listed and revoked by its root. */
    static long lineage(Taskq taskq, String rootId) {
        List<TaskSummary> tasks = taskq.workflow(rootId);              // queued, delayed, running, finished, dead
        long revoked = taskq.revokeWorkflow(rootId, "order cancelled"); // waiting ones removed, running ones interrupted
        return revoked + tasks.size();
    }

    /** docs/events.md: reading the event stream by position, and following it. */
    static EventPage events(Taskq taskq) {
        Events events = taskq.events();
        EventPage page = events.since(null, 100);          // the oldest kept, up to 100
        for (Event e : page.events()) {
            log.info("{} {} {}", e.type(), e.field(Event.F_ID), e.fields());
        }
        EventPage more = events.since(page.next(), 100);   // resume after the last one read

        try (Events.Subscription live = events.subscribe(null, e -> log.info("{}", e))) {   // from now on
            // ... until closed
        }
        return more;
    }

    /** docs/extending.md: an interceptor, a listener and retry policies. */
    static Taskq extending(Mailer mailer) {
        Taskq taskq = Taskq.builder()
                .tasks(new EmailTasks(mailer))
                .interceptor((context, next) -> {
                    long t0 = System.nanoTime();
                    try {
                        return next.proceed();
                    } finally {
                        log.info("{} took {} us", context.taskName(), (System.nanoTime() - t0) / 1000);
                    }
                })
                .listener(event -> {
                    if (event.kind() == TaskEvent.Kind.DEAD_LETTERED) {
                        log.warn("task {} dead-lettered: {}", event.taskId(), event.reason());
                    }
                })
                .retryPolicy("email.send", RetryPolicy.builder()
                        .maxRetries(10)
                        .backoff(Duration.ofSeconds(5)).backoffMultiplier(3).backoffMax(Duration.ofHours(1))
                        .retryOn(IOException.class)
                        .build())
                .retryPolicy(RetryPolicy.builder().maxRetries(2).build())
                .build();
        return taskq;
    }

    static void readmeQuickStart(Mailer mailer) {
        try (Taskq taskq = Taskq.builder().tasks(new EmailTasks(mailer)).build()) {
            taskq.startWorker(WorkerOptions.builder().concurrency(8).queues("email").build());

            TaskHandle<String> h = taskq.submit(EmailTasks::send, "ada@example.com", "Hello");
            String receipt = h.get(Duration.ofSeconds(10));

            taskq.submit(TaskRequest.of(EmailTasks::send, "bob@example.com", "Later")
                    .countdown(Duration.ofMinutes(5)).priority(8));
            taskq.submit("email.send", "eve@example.com", "By name");
        }
    }

    /** A customer, for the getting-started snippets. */
    public record Customer(String id, String name) {
    }

    /** A report's id. */
    public record ReportId(String value) {
    }

    /** Builds reports. */
    public interface ReportService {
        /** Builds a report. */
        ReportId build(Customer customer, LocalDate month) throws IOException;
    }

    /** Getting started, step 1. */
    public static class ReportTasks {
        private final ReportService reports;   // your dependencies, injected as usual

        /** Creates the tasks. */
        public ReportTasks(ReportService reports) {
            this.reports = reports;
        }

        /** Builds a monthly report. */
        @Task(name = "reports.build", queue = "reports", timeLimit = "10m",
              maxRetries = 3, backoff = "30s", retryOn = IOException.class)
        public ReportId build(Customer customer, LocalDate month) throws IOException {
            return reports.build(customer, month);
        }
    }

    static void gettingStarted(ReportService reports, Mailer mailer, Customer customer, LocalDate month) {
        Taskq taskq = Taskq.builder()
                .tasks(new ReportTasks(reports), new EmailTasks(mailer))
                .build();

        Worker worker = taskq.startWorker(WorkerOptions.builder()
                .concurrency(8)
                .queues("reports", "default")
                .build());

        TaskHandle<ReportId> h = taskq.submit(ReportTasks::build, customer, LocalDate.of(2026, 10, 1));
        ReportId id = h.get(Duration.ofMinutes(15));
        h.future().thenAccept(r -> log.info("report {}", r));
        h.state();
        h.revoke();

        taskq.submit(TaskRequest.of(ReportTasks::build, customer, month)
                .queue("reports-bulk")
                .priority(8)
                .countdown(Duration.ofMinutes(5))
                .expiresIn(Duration.ofHours(1))
                .id("report-" + customer.id() + "-" + month)
                .header("tenant", "acme"));

        TaskHandle<Object> untyped = taskq.submit("reports.build", customer, "2026-10-01");
        TaskHandle<ReportId> typed = taskq.submit(TaskRequest.named("reports.build", ReportId.class, customer, "2026-10-01")
                .queue("reports"));
        ReportId built = typed.get(Duration.ofMinutes(15));
        TaskHandle<ReportId> again = taskq.handle(typed.id(), ReportId.class);
        TaskState now = again.state();

        try {
            h.get(Duration.ofMinutes(15));
        } catch (TaskFailedException e) {
            e.error().type();
            e.error().message();
            e.error().stackTrace();
        } catch (TaskRevokedException e) {
            e.reason();
        }
        taskq.close();
    }

    /** Scheduling guide. */
    static class Reports {
        @Task(name = "reports.daily")
        @Periodic(cron = "0 7 * * MON-FRI", zone = "Europe/London", args = "[\"sales\"]")
        public void daily(String team) {
            log.info("daily report for {}", team);
        }

        @Task(name = "files.cleanup")
        public void cleanup() {
            log.info("cleanup");
        }
    }

    static void scheduling(Broker broker, ScheduleStore scheduleStore) {
        try (Taskq taskq = Taskq.builder().broker(broker).tasks(new Reports()).build();
             Scheduler scheduler = Scheduler.builder()
                     .taskq(taskq)
                     .store(scheduleStore)
                     .declare(new Reports())
                     .build()) {
            scheduler.start();
            scheduler.add(PeriodicTask.builder("cleanup", "files.cleanup", Schedule.every(Duration.ofHours(1)))
                    .queue("maintenance").build(), "alice");
        }
    }

    static void schedulingOnRedis(Taskq taskq, Object tasks, String redisUrl) {
        RedisScheduleStore store = RedisScheduleStore.builder().uri(redisUrl).keyPrefix("live").build();
        Scheduler scheduler = Scheduler.builder().taskq(taskq).store(store).declare(tasks).build().start();
        scheduler.close();
        store.close();
    }

    /** Stands for the application's tasks in the Redis guide. */
    static class MyTasks {
        @Task(name = "my.task")
        public void run() {
        }
    }

    static void redis() {
        try (RedisBackend redis = RedisBackend.builder()
                .uri("redis://user:pass@host:6379/0")
                .keyPrefix("live")
                .resultTtl(Duration.ofHours(24))
                .maxRedeliveries(5)
                .deadLetterMaxCount(10_000).deadLetterMaxAge(Duration.ofDays(30))
                .build();
             Taskq taskq = Taskq.builder().broker(redis.broker()).tasks(new MyTasks()).build()) {
            taskq.startWorker();
        }
    }

    static void redisBackendWithScheduler(Object tasks, io.lettuce.core.resource.ClientResources shared) {
        try (RedisBackend redis = RedisBackend.builder()
                .uri("redis://user:pass@host:6379/0")
                .keyPrefix("live")
                .clientResources(shared)
                .build();
             Taskq taskq = Taskq.builder().broker(redis.broker()).tasks(tasks).build();
             Scheduler scheduler = Scheduler.builder().taskq(taskq).store(redis.scheduleStore())
                     .leases(redis.leases()).declare(tasks).build()) {
            taskq.startWorker();
            scheduler.start();
        }
    }

    static RedisBackend redisCluster() {
        RedisBackend redis = RedisBackend.builder()
                .cluster("redis://app:pass@redis-1:6379", "redis://app:pass@redis-2:6379")
                .topologyRefreshPeriod(Duration.ofSeconds(5))
                .partitions("hot", 4)
                .keyPrefix("live")
                .build();
        return redis;
    }

    static void storeFromBroker(java.util.List<io.lettuce.core.RedisURI> seeds, java.nio.file.Path ca, String pw,
                                Taskq taskq, Object tasks) {
        RedisBroker broker = RedisBroker.builder().cluster(seeds).keyPrefix("live").trustStore(ca, pw).build();
        RedisScheduleStore store = RedisScheduleStore.builder().from(broker).build();
        store.close();
        broker.close();
    }

    static void schedulerOnCluster(java.util.List<io.lettuce.core.RedisURI> seeds, Taskq taskq, Object tasks) {
        RedisBroker broker = RedisBroker.builder().cluster(seeds).keyPrefix("live").build();
        RedisScheduleStore store = RedisScheduleStore.builder().from(broker).build();
        Scheduler scheduler = Scheduler.builder().taskq(taskq).store(store).leases(broker).declare(tasks)
                .build().start();
        scheduler.close();
    }

    static void backendOnCluster(java.util.List<io.lettuce.core.RedisURI> seeds, java.nio.file.Path ca, String pw) {
        RedisBackend redis = RedisBackend.builder().cluster(seeds).keyPrefix("live").trustStore(ca, pw).build();
        RedisScheduleStore store = redis.scheduleStore();   // same topology, TLS, timeouts, prefix, client resources
        redis.close();
    }

    static void schedulerMetrics(Taskq taskq, ScheduleStore store) {
        Scheduler scheduler = Scheduler.builder().taskq(taskq).store(store)
                .listener(new SchedulerListener() {
                    @Override
                    public void runPublished(String entry, String runId, Instant dueAt, Instant publishedAt) {
                        publishLag.record(Duration.between(dueAt, publishedAt));
                    }
                })
                .build();
        scheduler.close();
    }

    /** queue-operations.md: the age of the oldest ready task, purge, dead letters by filter, listings. */
    static void queueOperations(Taskq taskq) {
        QueueStats stats = taskq.stats("emails");
        Duration waiting = stats.oldestReadyAge();        // ZERO when no task is ready
        long purged = taskq.purge("emails");              // the ready tasks vanish; delayed, running, dead stay
        DeadLetterFilter refused = DeadLetterFilter.builder()
                .task("email.send")
                .errorType("java.net.ConnectException")
                .olderThan(Duration.ofMinutes(10))
                .build();
        long back = taskq.resubmitDeadLetters("emails", refused, 10_000);     // retry counts reset, oldest first
        long gone = taskq.deleteDeadLetters("emails", DeadLetterFilter.builder()
                .olderThan(Duration.ofDays(7)).build(), Long.MAX_VALUE);
        String cursor = null;
        do {
            DeadLetterPage page = taskq.queueAdmin().findDeadLetters("emails", refused, 100, cursor);
            page.deadLetters().forEach(d -> log.info("{} {} {}", d.id(), d.deadAt(), d.reason()));
            cursor = page.next();                         // a page may be empty while next is not null
        } while (cursor != null);
        log.info("waiting {}, purged {}, resubmitted {}, deleted {}", waiting, purged, back, gone);
    }

    /** Stands for a metrics library's timer. */
    /** protocol.md, arguments and results: the application's mapper, or modules added to taskq's. */
    static Taskq jsonMapper(com.fasterxml.jackson.databind.ObjectMapper applicationMapper,
                            com.fasterxml.jackson.databind.Module moneyModule, Object billingTasks) {
        Taskq taskq = Taskq.builder()
                .objectMapper(applicationMapper)          // the application's mapper, copied at build()
                .tasks(billingTasks)
                .build();
        Taskq other = Taskq.builder()
                .jacksonModules(moneyModule)              // or: modules added to taskq's own mapper
                .tasks(billingTasks)
                .build();
        return taskq;
    }

    private static final class Timer {
        void record(Duration d) {
            log.debug("publish lag {}", d);
        }
    }

    private static final Timer publishLag = new Timer();
}
