package io.taskq.examples;

import io.taskq.Limits;
import io.taskq.RateLimit;
import io.taskq.Task;
import io.taskq.TaskHandle;
import io.taskq.TaskRequest;
import io.taskq.Taskq;
import io.taskq.WorkerOptions;
import io.taskq.spi.LimitStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Limits across all workers (docs/limits.md): a rate per task, a rate per tenant taken from an argument, a
 * concurrency limit per tenant taken from a header, and a rate changed at run time.
 */
public final class RateLimitsExample {
    private RateLimitsExample() {
    }

    /** Tasks that call rate-limited services. */
    public static class MailTasks {
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger mostAtOnce = new AtomicInteger();

        /** Sends a mail through a provider that allows 100 per second. */
        @Task(name = "mail.send", queue = "mail", rateLimit = "100/s")
        public void send(String to, String subject) {
        }

        /** Syncs one account of a tenant with a CRM that allows each tenant 10 calls per second. */
        @Task(name = "crm.sync", queue = "crm", rateLimit = "10/s", limitKey = "arg:0")
        public void sync(String tenant, long accountId) {
        }

        /** Builds a report: heavy, so at most five at once per tenant. */
        @Task(name = "report.build", queue = "reports", concurrencyLimit = 5,
              limitKey = "header:tenant")
        public void build(String reportId) throws InterruptedException {
            int now = running.incrementAndGet();
            mostAtOnce.accumulateAndGet(now, Math::max);
            Thread.sleep(50);
            running.decrementAndGet();
        }
    }

    /** Reports: one per customer at a time. */
    public static class ReportTasks {
        /** Builds a customer's monthly report; a second request while one is under way gets the same task. */
        @Task(name = "report.monthly", queue = "reports", uniqueUntil = "finished", uniqueArgs = 0)
        public void monthly(String customer, String requestedBy) {
        }
    }

    /** Runs the example. */
    public static void main(String[] args) {
        Duration wait = Duration.ofSeconds(30);
        MailTasks tasks = new MailTasks();
        try (Taskq taskq = ExampleEnvironment.taskqBuilder().tasks(tasks, new ReportTasks()).build()) {
            TaskHandle<Void> first = taskq.submit(TaskRequest.of(ReportTasks::monthly, "acme", "ada"));
            TaskHandle<Void> again = taskq.submit(TaskRequest.of(ReportTasks::monthly, "acme", "bob"));
            System.out.println("monthly report for acme, asked twice: one task "
                    + (first.id().equals(again.id()) && !again.created()));
            taskq.startWorker(WorkerOptions.builder().concurrency(16).queues("mail", "crm", "reports").build());
            List<TaskHandle<Void>> syncs = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                syncs.add(taskq.submit(TaskRequest.of(MailTasks::sync, "acme", (long) i)));
                syncs.add(taskq.submit(TaskRequest.of(MailTasks::sync, "globex", (long) i)));
            }
            syncs.forEach(h -> h.get(wait));
            System.out.println("synced " + syncs.size() + " accounts, each tenant at its own 10/s");

            List<TaskHandle<Void>> reports = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                reports.add(taskq.submit(TaskRequest.of(MailTasks::build, "r-" + i).header("tenant", "acme")));
            }
            reports.forEach(h -> h.get(wait));
            System.out.println("reports: at most " + tasks.mostAtOnce.get() + " ran at once");
            taskq.limits().setConcurrency(Limits.task("report.build"), 2);

            taskq.limits().setRate(Limits.task("mail.send"), RateLimit.parse("20/s"));   // the partner asked us to slow down
            Map<String, LimitStore.Setting> now = taskq.limits().overrides();
            System.out.println("mail.send now: " + now.get(Limits.task("mail.send")).rate());
            taskq.submit(TaskRequest.of(MailTasks::send, "ada@example.com", "Hello")).get(wait);
            taskq.limits().clear(Limits.task("mail.send"));                              // back to @Task(rateLimit)
            boolean declared = !taskq.limits().overrides().containsKey(Limits.task("mail.send"));
            System.out.println("mail.send back to its declared rate: " + declared);
        }
    }
}
