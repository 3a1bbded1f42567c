package io.taskq.spring.boot.autoconfigure;

import io.taskq.Task;
import io.taskq.TaskHandle;
import io.taskq.Taskq;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The compiled copies of docs/spring-boot.md's snippets (checked by DocSnippetsTest in taskq-examples). */
final class SpringBootDocSnippets {
    private SpringBootDocSnippets() {
    }

    /** Submitting inside a transaction. */
    @Service
    public static class OrderService {
        private final JdbcTemplate jdbc;
        private final Taskq taskq;

        /** Takes the database and taskq. */
        public OrderService(JdbcTemplate jdbc, Taskq taskq) {
            this.jdbc = jdbc;
            this.taskq = taskq;
        }

        /** Places an order and submits its confirmation, which runs only once the order row is committed. */
        @Transactional
        public TaskHandle<Void> place(long orderId) {
            jdbc.update("INSERT INTO orders (id) VALUES (?)", orderId);
            TaskHandle<Void> h = taskq.submit(OrderTasks::confirm, orderId);   // sent to the broker after commit
            TransactionalSubmit.immediately(() -> taskq.submit(AuditTasks::record, "order " + orderId));  // now
            return h;
        }
    }

    /** A task bean that submits more tasks: it takes a provider, since Taskq is built from the task beans. */
    @Service
    public static class OrderTasks {
        private final ObjectProvider<Taskq> taskq;

        /** Takes the provider. */
        public OrderTasks(ObjectProvider<Taskq> taskq) {
            this.taskq = taskq;
        }

        /** Confirms an order, then submits its invoice. */
        @Task(name = "orders.confirm", maxRetries = 3)
        public void confirm(long orderId) {
            taskq.getObject().submit(OrderTasks::invoice, orderId);
        }

        /** Invoices an order. */
        @Task(name = "orders.invoice")
        public void invoice(long orderId) {
        }
    }

    /** Audit records. */
    public static class AuditTasks {
        /** Records an event. */
        @Task(name = "audit.record")
        public void record(String event) {
        }
    }
}
