package io.taskq.examples;

import io.taskq.Chain;
import io.taskq.ChainHandle;
import io.taskq.Signature;
import io.taskq.Task;
import io.taskq.TaskFailure;
import io.taskq.TaskHandle;
import io.taskq.TaskRequest;
import io.taskq.Taskq;
import io.taskq.WorkerOptions;
import io.taskq.spi.TaskSummary;
import java.time.Duration;

/**
 * Workflows (docs/workflows.md): a chain whose steps pass results on, a callback, an error callback, and the
 * workflow listed by its root (lineage).
 */
public final class WorkflowsExample {
    private WorkflowsExample() {
    }

    /** An order's price. */
    public record Invoice(String orderId, long cents) {
    }

    /** The report built from an invoice. */
    public record Report(String customer, String text) {
    }

    /** The steps. */
    public static class Billing {
        /** Prices an order. */
        @Task(name = "billing.price")
        public Invoice price(String orderId) {
            return new Invoice(orderId, 4200);
        }

        /** Builds the customer's report; the invoice comes from the step before. */
        @Task(name = "billing.report")
        public Report build(String customer, Invoice invoice) {
            return new Report(customer, invoice.orderId() + ": " + invoice.cents() + " cents");
        }

        /** Mails a report; the report comes from the task it is a callback of. */
        @Task(name = "billing.mail")
        public void mail(String to, Report report) {
            System.out.println("mail to " + to + ": " + report.text());
        }

        /** Told when a step fails for good. */
        @Task(name = "billing.alert")
        public void alert(String team, TaskFailure failure) {
            System.out.println("alert " + team + ": " + failure.task() + " failed: " + failure.error());
        }

        /** Always fails. */
        @Task(name = "billing.broken")
        public Invoice broken(String orderId) {
            throw new IllegalStateException("no price list for " + orderId);
        }
    }

    /** Runs the example. */
    public static void main(String[] args) {
        Duration wait = Duration.ofSeconds(20);
        try (Taskq taskq = ExampleEnvironment.taskqBuilder().tasks(new Billing()).build()) {
            taskq.startWorker(WorkerOptions.builder().concurrency(2).build());

            Signature<Invoice, Report> report = Signature.of(Billing::build, "acme");
            ChainHandle<Report> h = taskq.submit(Chain.of(TaskRequest.of(Billing::price, "o-17"))
                    .then(report)
                    .link(Signature.of(Billing::mail, "ceo@acme.example"))
                    .linkError(Signature.of(Billing::alert, "billing-team")));
            System.out.println("chain " + h.id() + ": " + h.get(wait).text());
            // Lineage: every task of the chain has its first step as root, and the task before it as parent.
            String root = h.steps().get(0).id();
            for (TaskSummary t : taskq.workflow(root)) {
                System.out.println("  " + t.task() + " root " + (t.root().equals(root) ? "the first step" : t.root())
                        + (t.record() != null && t.record().parentId() != null ? ", after another step" : ""));
            }

            TaskHandle<Invoice> failing = taskq.submit(TaskRequest.of(Billing::broken, "o-18")
                    .linkError(Signature.of(Billing::alert, "billing-team")));
            System.out.println("broken: " + failing.state());
        }
    }
}
