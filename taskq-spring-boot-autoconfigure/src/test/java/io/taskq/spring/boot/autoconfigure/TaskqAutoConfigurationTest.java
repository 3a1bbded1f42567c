package io.taskq.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsontype.BasicPolymorphicTypeValidator;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taskq.Event;
import io.taskq.WorkerInfo;
import io.taskq.Worker;
import io.taskq.SubmitInterceptor;
import io.taskq.Task;
import io.taskq.TaskHandle;
import io.taskq.TaskRequest;
import io.taskq.TaskState;
import io.taskq.TaskInterceptor;
import io.taskq.TaskListener;
import io.taskq.Taskq;
import io.taskq.WorkerOptions;
import io.taskq.contract.Await;
import io.taskq.contract.Money;
import io.taskq.micrometer.SchedulerMetrics;
import io.taskq.micrometer.TaskqMeters;
import io.taskq.micrometer.TaskqMetrics;
import io.taskq.scheduler.PeriodicTask;
import io.taskq.scheduler.Schedule;
import io.taskq.scheduler.Scheduler;
import io.taskq.spi.Broker;
import io.taskq.spi.MemoryBroker;
import io.taskq.spi.QueueAdmin;
import io.taskq.spi.ResultBackend;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.api.Test;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** Each auto-configuration, what it creates from the properties, and how it backs off. */
class TaskqAutoConfigurationTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TaskqRedisAutoConfiguration.class, TaskqAutoConfiguration.class,
                    TaskqSchedulerAutoConfiguration.class, TaskqActuatorAutoConfiguration.class))
            .withBean(TestTasks.class)
            .withPropertyValues("management.endpoints.web.exposure.include=health,taskq");

    @Test
    void inMemoryByDefaultWithWorkerAndSchedulerThatRunTheBeansTasks() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(Taskq.class).hasSingleBean(MemoryBroker.class)
                    .hasSingleBean(WorkerOptions.class).hasSingleBean(TaskqWorkers.class)
                    .hasSingleBean(Scheduler.class).hasSingleBean(TaskqSchedulerRunner.class)
                    .hasSingleBean(TaskqBrokerDecorator.class);
            Taskq taskq = context.getBean(Taskq.class);
            assertThat(taskq.taskNames()).contains("test.greet", "test.slow", "test.tick");
            assertThat(taskq.broker()).isInstanceOf(TransactionAwareBroker.class);
            assertThat(taskq.submit(TestTasks::greet, "Ada").get(WAIT)).isEqualTo("Hello, Ada");
            assertThat(context.getBean(TaskqWorkers.class).running()).hasSize(1);
            assertThat(context.getBean(Scheduler.class).entry("test-tick")).as("the @Periodic entry").isPresent();
        });
    }

    @Test
    void theWorkersCarryTheSpringApplicationNameInTheRegistry() {
        runner.withPropertyValues("spring.application.name=shop").run(context -> {
            Taskq taskq = context.getBean(Taskq.class);
            Await.until(WAIT, "the worker listed as shop's", () -> taskq.workers().stream()
                    .anyMatch(w -> "shop".equals(w.application())));
        });
    }

    @Test
    void theApplicationsInterceptorAndListenerBeansAreRegistered() {
        List<String> seen = new CopyOnWriteArrayList<>();
        runner.withBean(TaskInterceptor.class, () -> (context, next) -> {
                    seen.add("intercepted " + context.taskName());
                    return next.proceed();
                })
                .withBean(SubmitInterceptor.class, () -> (requests, next) -> {
                    seen.add("submitting " + requests.size());
                    return next.proceed(requests);
                })
                .withBean(TaskListener.class, () -> e -> seen.add(e.kind().name()))
                .run(context -> {
                    Taskq taskq = context.getBean(Taskq.class);
                    assertThat(taskq.submit(TestTasks::greet, "Ada").get(WAIT)).isEqualTo("Hello, Ada");
                    Await.until(WAIT, "the success heard", () -> seen.contains("SUCCEEDED"));
                    assertThat(seen).contains("submitting 1", "SENT", "intercepted test.greet", "STARTED");
                });
    }

    @Test
    void taskqsMetersAreBoundToTheApplicationsRegistry() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ApplicationContextRunner withMetrics = runner
                .withConfiguration(AutoConfigurations.of(TaskqMetricsAutoConfiguration.class))
                .withBean(MeterRegistry.class, () -> registry);
        withMetrics.withPropertyValues("taskq.metrics.queue-poll-interval=100ms").run(context -> {
            assertThat(context).hasSingleBean(TaskqMetrics.class).hasSingleBean(SchedulerMetrics.class)
                    .hasBean("taskqMeteredBroker");
            Taskq taskq = context.getBean(Taskq.class);
            assertThat(taskq.submit(TestTasks::greet, "Ada").get(WAIT)).isEqualTo("Hello, Ada");
            Await.until(WAIT, "the success counted", () -> {
                Counter c = registry.find(TaskqMeters.TASKS_COMPLETED).tag(TaskqMeters.OUTCOME, "succeeded")
                        .tag(TaskqMeters.TASK, "test.greet").counter();
                return c != null && c.count() == 1;
            });
            assertThat(registry.find(TaskqMeters.TASKS_SUBMITTED).counter().count()).isEqualTo(1);
            Await.until(WAIT, "the queue polled", () -> registry.find(TaskqMeters.QUEUE_READY)
                    .tag(TaskqMeters.QUEUE, "default").gauge() != null);
            assertThat(registry.find(TaskqMeters.WORKER_ACTIVE).gauge()).as("the worker's gauges").isNotNull();
        });
        withMetrics.withPropertyValues("taskq.metrics.enabled=false").run(context ->
                assertThat(context).doesNotHaveBean(TaskqMetrics.class).doesNotHaveBean("taskqMeteredBroker"));
    }

    @Test
    void theApplicationsObjectMapperOnlyWhenAskedFor() {
        ApplicationContextRunner withMapper = runner.withPropertyValues("taskq.roles=")
                .withBean(ObjectMapper.class, () -> JsonMapper.builder().addModule(Money.module()).build());
        withMapper.withPropertyValues("taskq.json.use-application-object-mapper=true").run(context ->
                assertThat(context.getBean(Taskq.class).objectMapper().writeValueAsString(Money.parse("1.50 EUR")))
                        .isEqualTo("\"1.50 EUR\""));
        withMapper.run(context ->
                assertThat(context.getBean(Taskq.class).objectMapper().writeValueAsString(Money.parse("1.50 EUR")))
                        .as("taskq's own mapper by default").isEqualTo("{}"));
        runner.withPropertyValues("taskq.roles=", "taskq.json.use-application-object-mapper=true").run(context ->
                assertThat(context).hasFailed().getFailure().hasStackTraceContaining("no ObjectMapper bean"));
        ObjectMapper typed = new ObjectMapper().activateDefaultTyping(
                BasicPolymorphicTypeValidator.builder().allowIfBaseType(Object.class).build());
        runner.withPropertyValues("taskq.roles=", "taskq.json.use-application-object-mapper=true")
                .withBean(ObjectMapper.class, () -> typed).run(context ->
                        assertThat(context).hasFailed().getFailure().hasStackTraceContaining("default typing"));
    }

    @Test
    void workerOptionsFromProperties() {
        runner.withPropertyValues("taskq.worker.queues=high,low", "taskq.worker.concurrency=3",
                "taskq.worker.prefetch=0", "taskq.worker.lease=12s", "taskq.worker.shutdown-grace=7s").run(context -> {
                    WorkerOptions o = context.getBean(WorkerOptions.class);
                    assertThat(o.queues()).containsExactly("high", "low");
                    assertThat(o.concurrency()).isEqualTo(3);
                    assertThat(o.prefetch()).isZero();
                    assertThat(o.adaptivePrefetch()).isFalse();
                    assertThat(o.lease()).isEqualTo(Duration.ofSeconds(12));
                    assertThat(o.shutdownGrace()).isEqualTo(Duration.ofSeconds(7));
                });
        runner.run(context -> assertThat(context.getBean(WorkerOptions.class).adaptivePrefetch())
                .as("no prefetch property: adaptive").isTrue());
    }

    @Test
    void theWorkersNodeNameAndHeartbeatFromProperties() {
        runner.withPropertyValues("taskq.worker.node-name=emails@web-3", "taskq.worker.heartbeat-interval=250ms")
                .run(context -> {
                    WorkerOptions o = context.getBean(WorkerOptions.class);
                    assertThat(o.nodeName()).isEqualTo("emails@web-3");
                    assertThat(o.heartbeatInterval()).isEqualTo(Duration.ofMillis(250));
                    Taskq taskq = context.getBean(Taskq.class);
                    Await.until(WAIT, "the worker registered under its node name", () -> taskq.workers().stream()
                            .anyMatch(w -> w.nodeName().equals("emails@web-3")
                                    && w.heartbeatInterval().equals(Duration.ofMillis(250))));
                });
        runner.run(context -> {
            WorkerOptions o = context.getBean(WorkerOptions.class);
            assertThat(o.nodeName()).as("unset: the core's default").isEqualTo(WorkerOptions.builder().build()
                    .nodeName());
            assertThat(o.heartbeatInterval()).isEqualTo(WorkerOptions.builder().build().heartbeatInterval());
        });
        runner.withPropertyValues("taskq.worker.heartbeat-interval=10ms").run(context -> assertThat(context)
                .hasFailed().getFailure().hasStackTraceContaining("heartbeatInterval must be at least 100 ms"));
    }

    @Test
    void eventsArePublishedUnlessTurnedOffAndTheBufferIsTheProperty() {
        runner.run(context -> {
            Taskq taskq = context.getBean(Taskq.class);
            String id = taskq.submit(TestTasks::greet, "events").id();
            Await.until(WAIT, "the task's events in the stream", () -> taskq.events().since(null, 1000).events()
                    .stream().anyMatch(e -> e.type().equals(Event.TASK_SUCCEEDED) && id.equals(e.field(Event.F_ID))));
        });
        runner.withPropertyValues("taskq.events.enabled=false").run(context -> {
            Taskq taskq = context.getBean(Taskq.class);
            assertThat(taskq.submit(TestTasks::greet, "quiet").get(WAIT)).isEqualTo("Hello, quiet");
            // Nothing is ever handed to a publisher: there is none.
            assertThat(taskq.events().since(null, 1000).events()).noneMatch(e -> e.type().startsWith("task-"));
        });
        runner.withPropertyValues("taskq.events.buffer=0").run(context -> assertThat(context).hasFailed()
                .getFailure().hasStackTraceContaining("the event buffer must hold at least one event"));
    }

    @Test
    void queueRatesFromPropertiesHoldBackTheQueuesTasksAndABadRateFailsTheStart() {
        runner.withPropertyValues("taskq.worker.queues=mail", "taskq.limits.queue-rates.mail=1/h").run(context -> {
            Taskq taskq = context.getBean(Taskq.class);
            List<TaskHandle<Object>> sent = List.of(taskq.submit(TaskRequest.named("test.greet", "a").queue("mail")),
                    taskq.submit(TaskRequest.named("test.greet", "b").queue("mail")));
            Await.until(WAIT, "one ran, the other waits for the queue's rate", () ->
                    sent.stream().filter(h -> h.state() == TaskState.SUCCESS).count() == 1
                            && taskq.stats("mail").delayed() == 1);
            assertThat(sent.stream().map(TaskHandle::state)).containsExactlyInAnyOrder(TaskState.SUCCESS,
                    TaskState.PENDING);
        });
        runner.withPropertyValues("taskq.limits.queue-rates.mail=fast").run(context -> assertThat(context)
                .hasFailed().getFailure().hasStackTraceContaining(
                        "taskq.limits.queue-rates.mail: 'fast' is not a rate limit"));
    }

    @Test
    void rolesChooseWorkerSchedulerOrNeither() {
        runner.withPropertyValues("taskq.roles=scheduler").run(context -> assertThat(context)
                .doesNotHaveBean(TaskqWorkers.class).doesNotHaveBean(WorkerOptions.class)
                .hasSingleBean(Scheduler.class));
        runner.withPropertyValues("taskq.roles=worker").run(context -> assertThat(context)
                .hasSingleBean(TaskqWorkers.class).doesNotHaveBean(Scheduler.class)
                .doesNotHaveBean(TaskqSchedulerRunner.class));
        runner.withPropertyValues("taskq.roles=").run(context -> {
            assertThat(context).hasSingleBean(Taskq.class).doesNotHaveBean(TaskqWorkers.class)
                    .doesNotHaveBean(Scheduler.class);
            assertThat(context.getBean(Taskq.class).submit(TestTasks::greet, "x").state()).isNotNull();
        });
    }

    @Test
    void aSchedulerRefusesEntriesForUnregisteredTasksUnlessThePropertyAllowsThem() {
        PeriodicTask remote = PeriodicTask.builder("remote", "billing.refund", Schedule.every(Duration.ofHours(1)))
                .build();
        runner.withPropertyValues("taskq.roles=scheduler").run(context -> {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> context.getBean(Scheduler.class).add(remote, "alice"));
            assertThat(e.getMessage()).contains("billing.refund").contains("allowUnregisteredTasks");
        });
        runner.withPropertyValues("taskq.roles=scheduler", "taskq.scheduler.allow-unregistered-tasks=true")
                .run(context -> {
                    context.getBean(Scheduler.class).add(remote, "alice");
                    assertThat(context.getBean(Scheduler.class).entry("remote")).isPresent();
                });
    }

    @Test
    void producerWithoutTaskBeansStartsNoWorker() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(TaskqAutoConfiguration.class,
                        TaskqSchedulerAutoConfiguration.class))
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(TaskqWorkers.class);
                    assertThat(context.getBean(TaskqWorkers.class).running()).isEmpty();
                    assertThat(context.getBean(Taskq.class).taskNames()).isEmpty();
                });
    }

    @Test
    void everyBeanBacksOffForTheApplicationsOwn() {
        MemoryBroker broker = MemoryBroker.create(Clock.systemUTC());
        runner.withBean("myBroker", Broker.class, () -> broker).run(context -> {
            assertThat(context).hasSingleBean(Broker.class);
            assertThat(((TransactionAwareBroker) context.getBean(Taskq.class).broker()).delegate()).isSameAs(broker);
        });
        Taskq own = Taskq.builder().tasks(new TestTasks()).build();
        runner.withBean("myTaskq", Taskq.class, () -> own).run(context ->
                assertThat(context.getBean(Taskq.class)).isSameAs(own));
        own.close();
        runner.withBean("high", WorkerOptions.class, () -> WorkerOptions.builder().queues("high").build())
                .withBean("low", WorkerOptions.class, () -> WorkerOptions.builder().queues("low").build())
                .run(context -> assertThat(context.getBean(TaskqWorkers.class).running())
                        .as("a worker per WorkerOptions bean").extracting(r -> r.options().queues().get(0))
                        .containsExactlyInAnyOrder("high", "low"));
        runner.withBean("myTasks", TaskBeans.class, () -> TaskBeans.of(new OtherTasks())).run(context ->
                assertThat(context.getBean(Taskq.class).taskNames()).containsExactly("other.echo"));
        runner.withBean("myWorkers", TaskqWorkers.class, () -> mock(TaskqWorkers.class)).run(context ->
                assertThat(context).hasSingleBean(TaskqWorkers.class));
        runner.withBean("myScheduler", Scheduler.class, () -> mock(Scheduler.class)).run(context ->
                assertThat(context).hasSingleBean(Scheduler.class).hasSingleBean(TaskqSchedulerRunner.class));
        runner.withBean("myHealth", HealthIndicator.class, () -> () -> Health.up().build())
                .withBean("taskqHealthIndicator", HealthIndicator.class, () -> () -> Health.up().build())
                .run(context -> assertThat(context).doesNotHaveBean(TaskqHealthIndicator.class));
        runner.withBean("myEndpoint", TaskqEndpoint.class, () -> mock(TaskqEndpoint.class)).run(context ->
                assertThat(context).hasSingleBean(TaskqEndpoint.class));
    }

    @Test
    void withTheApplicationsOwnTaskqTheSchedulerLeadsThroughThatTaskqsBroker() {
        Taskq own = Taskq.builder().tasks(new TestTasks()).build();
        runner.withBean("myTaskq", Taskq.class, () -> own).run(context -> {
            Scheduler scheduler = context.getBean(Scheduler.class);
            Await.until(WAIT, "the scheduler leads", scheduler::isLeader);
            assertThat(((io.taskq.spi.Leases) own.broker()).holder("taskq.scheduler"))
                    .as("the lease is held in the broker the tasks go to").contains(scheduler.instanceId());
        });
        own.close();
    }

    @Test
    void transactionAwareSubmitCanBeTurnedOffOrIsAbsentWithoutSpringTx() {
        runner.withPropertyValues("taskq.submit.after-commit=false").run(context -> {
            assertThat(context).doesNotHaveBean(TaskqBrokerDecorator.class);
            assertThat(context.getBean(Taskq.class).broker()).isInstanceOf(MemoryBroker.class);
        });
        runner.withClassLoader(new FilteredClassLoader(TransactionSynchronizationManager.class)).run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(TaskqBrokerDecorator.class);
            assertThat(context.getBean(Taskq.class).broker()).isInstanceOf(MemoryBroker.class);
        });
    }

    @Test
    void withoutTheSchedulerModuleOrTheActuatorThoseBeansAreAbsent() {
        runner.withClassLoader(new FilteredClassLoader(Scheduler.class)).run(context -> assertThat(context)
                .hasNotFailed().hasSingleBean(Taskq.class).doesNotHaveBean(TaskqSchedulerRunner.class));
        runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class)).run(context -> assertThat(context)
                .hasNotFailed().doesNotHaveBean(TaskqHealthIndicator.class).doesNotHaveBean(TaskqEndpoint.class));
        runner.withPropertyValues("management.health.taskq.enabled=false").run(context -> assertThat(context)
                .doesNotHaveBean(TaskqHealthIndicator.class).hasSingleBean(TaskqEndpoint.class));
        runner.withPropertyValues("management.endpoints.web.exposure.include=health").run(context ->
                assertThat(context).as("an endpoint that is not exposed is not created")
                        .hasSingleBean(TaskqHealthIndicator.class).doesNotHaveBean(TaskqEndpoint.class));
    }

    @Test
    void aTaskBeanThatNeedsTaskqInItsConstructorFailsWithTheWayOut() {
        runner.withBean(NeedsTaskq.class).run(context -> assertThat(context).hasFailed().getFailure()
                .rootCause().isInstanceOf(org.springframework.beans.factory.BeanCurrentlyInCreationException.class));
        runner.withBean(NeedsTaskq.class).run(context -> assertThat(context.getStartupFailure())
                .hasStackTraceContaining("NeedsTaskq' has @Task methods and needs the Taskq bean to be created, which needs the task beans"
                        + " first: inject ObjectProvider<Taskq> into it instead of Taskq"));
        runner.withBean(LazyTaskq.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(Taskq.class).submit(LazyTaskq::chain, "a").get(WAIT)).isEqualTo("Hello, a");
        });
    }

    @Test
    void aTaskBeanBehindAnInterfaceBasedProxyIsRefusedWithItsName() {
        runner.withBean(Greeter.class).withBean(JdkProxies.class).run(context -> assertThat(context.getStartupFailure())
                .hasStackTraceContaining("Greeter' has @Task methods but is an interface-based proxy"));
    }

    @Test
    void aTaskBeanBehindAClassBasedProxyRunsThroughTheProxy() {
        runner.withBean(Greeter.class).withBean(ClassProxies.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(Taskq.class).submit("proxied.greet", "Ada").get(WAIT))
                    .as("the advice ran").isEqualTo("advised: Hello, Ada");
        });
    }

    @Test
    void healthIsUpWithWorkerAndLeaderAndTheEndpointShowsThem() {
        runner.run(context -> {
            TaskqHealthIndicator health = context.getBean(TaskqHealthIndicator.class);
            Health h = Await.value(WAIT, "a leader is known", () -> {
                Health x = health.health();
                return x.getStatus().equals(Status.UP) ? x : null;
            });
            @SuppressWarnings("unchecked")
            Map<String, Object> scheduler = (Map<String, Object>) h.getDetails().get("scheduler");
            assertThat(scheduler.get("leaderInstance"))
                    .isEqualTo(context.getBean(Scheduler.class).instanceId());
            assertThat(h.getDetails()).containsKeys("queues", "workers");
            TaskqEndpoint.TaskqDescriptor d = context.getBean(TaskqEndpoint.class).taskq();
            assertThat(d.tasks()).contains("test.greet");
            assertThat(d.workers()).hasSize(1).allMatch(TaskqEndpoint.WorkerDescriptor::healthy);
            assertThat(d.queues()).extracting(q -> q.queue()).containsExactly("default");
            assertThat(d.scheduler().entries()).extracting(TaskqSchedulerStatus.Entry::name).contains("test-tick");
        });
    }

    @Test
    void theEndpointListsEveryWorkerOfTheNamespaceFromTheRegistry() {
        runner.run(context -> {
            TaskqEndpoint endpoint = context.getBean(TaskqEndpoint.class);
            String local = endpoint.taskq().workers().get(0).id();
            // a worker this instance's Spring context does not manage, as another instance's would be
            try (Worker other = context.getBean(Taskq.class).startWorker(WorkerOptions.builder()
                    .nodeName("other@elsewhere").queues("default").build())) {
                TaskqEndpoint.TaskqDescriptor d = Await.value(WAIT, "both in the registry", () -> {
                    TaskqEndpoint.TaskqDescriptor x = endpoint.taskq();
                    return x.registry().size() == 2 ? x : null;
                });
                assertThat(d.workers()).extracting(TaskqEndpoint.WorkerDescriptor::id).containsExactly(local);
                assertThat(d.registry()).extracting(WorkerInfo::id).containsExactlyInAnyOrder(local, other.id());
                assertThat(d.registry()).extracting(WorkerInfo::nodeName).contains("other@elsewhere");
            }
        });
    }

    @Test
    void healthIsDownWhenTheBrokerDoesNotAnswer() {
        Broker failing = mock(Broker.class, withSettings().extraInterfaces(ResultBackend.class));
        QueueAdmin admin = mock(QueueAdmin.class);
        when(failing.queueAdmin()).thenReturn(Optional.of(admin));
        when(admin.stats(anyString())).thenThrow(new IllegalStateException("connection refused"));
        runner.withBean("failingBroker", Broker.class, () -> failing).withPropertyValues("taskq.roles=")
                .run(context -> {
                    Health h = context.getBean(TaskqHealthIndicator.class).health();
                    assertThat(h.getStatus()).isEqualTo(Status.DOWN);
                    assertThat(h.getDetails().get("queues").toString()).contains("connection refused");
                });
    }

    @Test
    void healthIsDownWhenALocalWorkerIsUnhealthy() {
        runner.run(context -> {
            TaskqWorkers workers = context.getBean(TaskqWorkers.class);
            // A worker that is closed reports unhealthy; closing it directly simulates a broken fetch loop.
            workers.running().get(0).worker().close();
            Health h = context.getBean(TaskqHealthIndicator.class).health();
            assertThat(h.getStatus()).isEqualTo(Status.DOWN);
        });
    }

    /** An interface a task bean implements. */
    public interface Greeting {
        /** Greets. */
        String greet(String name);
    }

    /** A task bean with an interface, for the proxy tests. */
    public static class Greeter implements Greeting {
        /** Greets. */
        @Override
        @Task(name = "proxied.greet")
        public String greet(String name) {
            return "Hello, " + name;
        }
    }

    /** Wraps the Greeter in a proxy whose advice prefixes the result. */
    abstract static class Proxies implements BeanPostProcessor {
        abstract boolean classBased();

        @Override
        public Object postProcessAfterInitialization(Object bean, String beanName) {
            if (!(bean instanceof Greeter)) {
                return bean;
            }
            ProxyFactory f = new ProxyFactory(bean);
            f.setProxyTargetClass(classBased());
            if (!classBased()) {
                f.addInterface(Greeting.class);
            }
            f.addAdvice((MethodInterceptor) invocation -> "advised: " + invocation.proceed());
            return f.getProxy();
        }
    }

    /** Interface-based proxies. */
    static class JdkProxies extends Proxies {
        @Override
        boolean classBased() {
            return false;
        }
    }

    /** Class-based proxies. */
    static class ClassProxies extends Proxies {
        @Override
        boolean classBased() {
            return true;
        }
    }

    /** Another task bean. */
    public static class OtherTasks {
        /** Echoes. */
        @Task(name = "other.echo")
        public String echo(String s) {
            return s;
        }
    }

    /** A task bean that wrongly needs Taskq to be built. */
    public static class NeedsTaskq {
        private final Taskq taskq;

        /** Needs Taskq. */
        public NeedsTaskq(Taskq taskq) {
            this.taskq = taskq;
        }

        /** Submits another task. */
        @Task(name = "needs.chain")
        public void chain() {
            taskq.submit(TestTasks::greet, "x");
        }
    }

    /** A task bean that submits tasks through a provider, the way that works. */
    public static class LazyTaskq {
        private final ObjectProvider<Taskq> taskq;

        /** Takes the provider. */
        public LazyTaskq(ObjectProvider<Taskq> taskq) {
            this.taskq = taskq;
        }

        /** Submits another task and returns its result. */
        @Task(name = "lazy.chain")
        public String chain(String name) {
            return taskq.getObject().submit(TestTasks::greet, name).get(Duration.ofSeconds(20));
        }
    }
}
