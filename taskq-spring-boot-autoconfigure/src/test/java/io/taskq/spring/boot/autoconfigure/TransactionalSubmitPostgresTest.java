package io.taskq.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.taskq.Task;
import io.taskq.TaskHandle;
import io.taskq.TaskRequest;
import io.taskq.TaskState;
import io.taskq.Taskq;
import io.taskq.spi.Broker;
import io.taskq.spi.ResultBackend;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Transaction-aware submit against a real PostgreSQL transaction: a task submitted inside a transaction reaches the
 * broker only after the commit (so it sees the committed row), never after a rollback, at once when asked.
 * PostgreSQL must answer at 127.0.0.1:5432 (user postgres, trust auth, database test; .ci/run starts it): the test
 * fails otherwise, it is never skipped.
 */
@ExtendWith(OutputCaptureExtension.class)
class TransactionalSubmitPostgresTest {
    private static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String TABLE = "taskq_orders_" + UUID.randomUUID().toString().substring(0, 8);
    private static final DataSource DATA_SOURCE =
            new SimpleDriverDataSource(new org.postgresql.Driver(), URL, "postgres", "");

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TaskqAutoConfiguration.class))
            .withBean(DataSource.class, () -> DATA_SOURCE)
            .withBean(DataSourceTransactionManager.class, () -> new DataSourceTransactionManager(DATA_SOURCE))
            .withBean(OrderTasks.class);

    @BeforeAll
    static void postgres() {
        try (Connection c = DriverManager.getConnection(URL, "postgres", "")) {
            c.createStatement().execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (id BIGINT PRIMARY KEY)");
        } catch (SQLException e) {
            fail("PostgreSQL does not answer at " + URL + " as user postgres (trust auth, database 'test'): start"
                    + " it (.ci/run does) - " + e.getMessage(), e);
        }
    }

    @AfterAll
    static void dropTable() {
        new JdbcTemplate(DATA_SOURCE).execute("DROP TABLE IF EXISTS " + TABLE);
    }

    /** How many tasks wait in the default queue. */
    private static long ready(Taskq taskq) {
        return taskq.stats("default").ready();
    }

    @Test
    void submittedInsideATransactionTheTaskReachesTheBrokerAfterTheCommitAndSeesTheRow() {
        runner.run(context -> {
            Taskq taskq = context.getBean(Taskq.class);
            TransactionTemplate tx = new TransactionTemplate(context.getBean(DataSourceTransactionManager.class));
            JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
            TaskHandle<Boolean> h = tx.execute(status -> {
                jdbc.update("INSERT INTO " + TABLE + " VALUES (1)");
                TaskHandle<Boolean> handle = taskq.submit(OrderTasks::exists, 1L);
                assertThat(ready(taskq) + taskq.stats("default").inFlight())
                        .as("not in the broker before the commit").isZero();
                return handle;
            });
            assertThat(h.get(WAIT)).as("the task ran after the commit and saw the committed row").isTrue();
        });
    }

    @Test
    void onRollbackNothingIsSubmitted() {
        runner.withPropertyValues("taskq.roles=").run(context -> {
            Taskq taskq = context.getBean(Taskq.class);
            TransactionTemplate tx = new TransactionTemplate(context.getBean(DataSourceTransactionManager.class));
            JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
            TaskHandle<Boolean> h = tx.execute(status -> {
                jdbc.update("INSERT INTO " + TABLE + " VALUES (2)");
                TaskHandle<Boolean> handle = taskq.submit(OrderTasks::exists, 2L);
                status.setRollbackOnly();
                return handle;
            });
            assertThat(jdbc.queryForObject("SELECT count(*) FROM " + TABLE + " WHERE id = 2", Long.class)).isZero();
            assertThat(ready(taskq)).as("never submitted").isZero();
            assertThat(h.state()).isEqualTo(TaskState.UNKNOWN);
        });
    }

    @Test
    void submitAllInsideATransactionGoesAfterTheCommitInOrderAndNotAtAllOnRollback() {
        runner.withPropertyValues("taskq.roles=").run(context -> {
            Taskq taskq = context.getBean(Taskq.class);
            TransactionTemplate tx = new TransactionTemplate(context.getBean(DataSourceTransactionManager.class));
            List<TaskRequest<Boolean>> requests = List.of(TaskRequest.of(OrderTasks::exists, 10L),
                    TaskRequest.of(OrderTasks::exists, 11L), TaskRequest.of(OrderTasks::exists, 12L));
            List<TaskHandle<?>> committed = tx.execute(status -> {
                List<TaskHandle<?>> hs = taskq.submitAll(requests);
                taskq.submit(OrderTasks::exists, 13L);
                assertThat(ready(taskq)).isZero();
                return hs;
            });
            assertThat(ready(taskq)).as("all four after the commit").isEqualTo(4);
            assertThat(committed).hasSize(3);
            tx.executeWithoutResult(status -> {
                taskq.submitAll(requests);
                status.setRollbackOnly();
            });
            assertThat(ready(taskq)).as("none of the rolled-back batch").isEqualTo(4);
        });
    }

    @Test
    void aNestedNewTransactionSubmitsOnItsOwnCommitAndTheOuterRollbackDropsOnlyItsOwn() {
        runner.withPropertyValues("taskq.roles=").run(context -> {
            Taskq taskq = context.getBean(Taskq.class);
            DataSourceTransactionManager tm = context.getBean(DataSourceTransactionManager.class);
            TransactionTemplate outer = new TransactionTemplate(tm);
            TransactionTemplate inner = new TransactionTemplate(tm);
            inner.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
            outer.executeWithoutResult(status -> {
                taskq.submit(OrderTasks::exists, 20L);
                inner.executeWithoutResult(s -> taskq.submit(OrderTasks::exists, 21L));
                assertThat(ready(taskq)).as("the inner transaction committed: its task only is submitted")
                        .isEqualTo(1);
                status.setRollbackOnly();
            });
            assertThat(ready(taskq)).as("the outer one rolled back: its task is dropped").isEqualTo(1);
        });
    }

    @Test
    void immediatelySubmitsAtOnceInsideATransactionAndSoDoesThePropertyOff() {
        runner.withPropertyValues("taskq.roles=").run(context -> {
            Taskq taskq = context.getBean(Taskq.class);
            TransactionTemplate tx = new TransactionTemplate(context.getBean(DataSourceTransactionManager.class));
            tx.executeWithoutResult(status -> {
                TransactionalSubmit.immediately(() -> taskq.submit(OrderTasks::exists, 30L));
                assertThat(ready(taskq)).as("in the broker at once").isEqualTo(1);
                taskq.submit(OrderTasks::exists, 32L);
                assertThat(ready(taskq)).as("outside the scope, deferred again").isEqualTo(1);
                status.setRollbackOnly();
            });
            assertThat(ready(taskq)).as("and it stays after the rollback").isEqualTo(1);
        });
        runner.withPropertyValues("taskq.roles=", "taskq.submit.after-commit=false").run(context -> {
            Taskq taskq = context.getBean(Taskq.class);
            TransactionTemplate tx = new TransactionTemplate(context.getBean(DataSourceTransactionManager.class));
            tx.executeWithoutResult(status -> {
                taskq.submit(OrderTasks::exists, 31L);
                assertThat(ready(taskq)).isEqualTo(1);
            });
        });
    }

    @Test
    void outsideATransactionSubmitIsImmediate() {
        runner.withPropertyValues("taskq.roles=").run(context -> {
            Taskq taskq = context.getBean(Taskq.class);
            taskq.submit(OrderTasks::exists, 40L);
            assertThat(ready(taskq)).isEqualTo(1);
        });
    }

    @Test
    void aFailedSubmitAfterTheCommitKeepsTheCommitAndNamesEachTaskAtError(CapturedOutput output) {
        Broker failing = mock(Broker.class, withSettings().extraInterfaces(ResultBackend.class));
        when(failing.enqueue(anyList())).thenThrow(new IllegalStateException("broker unreachable"));
        runner.withBean("failingBroker", Broker.class, () -> failing).withPropertyValues("taskq.roles=")
                .run(context -> {
                    Taskq taskq = context.getBean(Taskq.class);
                    TransactionTemplate tx =
                            new TransactionTemplate(context.getBean(DataSourceTransactionManager.class));
                    JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
                    TaskHandle<Boolean> h = tx.execute(status -> {
                        jdbc.update("INSERT INTO " + TABLE + " VALUES (50)");
                        return taskq.submit(OrderTasks::exists, 50L);
                    });
                    assertThat(jdbc.queryForObject("SELECT count(*) FROM " + TABLE + " WHERE id = 50", Long.class))
                            .as("the transaction stays committed").isEqualTo(1);
                    assertThat(output).contains("ERROR").contains(h.id() + " (orders.exists)")
                            .contains("could not be submitted after the commit");
                });
    }

    @Test
    void aTaskThatRunsInsideItsOwnTransactionDefersWhatItSubmits() {
        runner.run(context -> {
            Taskq taskq = context.getBean(Taskq.class);
            assertThat(taskq.submit(OrderTasks::insertAndChain, 60L).get(WAIT)).isTrue();
            assertThat(OrderTasks.chained.get(WAIT)).as("the chained task saw the row of the committed task")
                    .isTrue();
        });
    }

    /** Tasks that read and write the table. */
    public static class OrderTasks {
        static volatile TaskHandle<Boolean> chained;
        private final JdbcTemplate jdbc;
        private final TransactionTemplate tx;
        private final ObjectProvider<Taskq> taskq;

        /** Uses the data source and transaction manager. */
        public OrderTasks(DataSource dataSource, DataSourceTransactionManager tm, ObjectProvider<Taskq> taskq) {
            this.jdbc = new JdbcTemplate(dataSource);
            this.tx = new TransactionTemplate(tm);
            this.taskq = taskq;
        }

        /** Whether the order row is committed (read on a connection of its own). */
        @Task(name = "orders.exists")
        public boolean exists(long id) {
            return jdbc.queryForObject("SELECT count(*) FROM " + TABLE + " WHERE id = ?", Long.class, id) == 1;
        }

        /** Inserts a row and submits a check of it in one transaction. */
        @Task(name = "orders.insertAndChain")
        public boolean insertAndChain(long id) {
            tx.executeWithoutResult(status -> {
                jdbc.update("INSERT INTO " + TABLE + " VALUES (?)", id);
                chained = taskq.getObject().submit(OrderTasks::exists, id);
            });
            return true;
        }
    }

}
