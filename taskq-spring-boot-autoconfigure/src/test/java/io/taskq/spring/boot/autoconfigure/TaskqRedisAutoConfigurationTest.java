package io.taskq.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisURI;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taskq.TaskHandle;
import io.taskq.TaskState;
import io.taskq.Taskq;
import io.taskq.contract.Await;
import io.taskq.micrometer.RedisConnectionMetrics;
import io.taskq.micrometer.TaskqMeters;
import io.taskq.redis.PerClassRedis;
import io.taskq.redis.RedisBroker;
import io.taskq.redis.RedisScheduleStore;
import io.taskq.scheduler.Scheduler;
import io.taskq.spi.MemoryBroker;
import io.taskq.spi.TaskRecord;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/** The Redis broker and schedule store from {@code taskq.redis.*}, and a graceful shutdown on a real Redis. */
class TaskqRedisAutoConfigurationTest {
    @RegisterExtension
    static final PerClassRedis redis = new PerClassRedis();

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TaskqRedisAutoConfiguration.class, TaskqAutoConfiguration.class,
                    TaskqSchedulerAutoConfiguration.class))
            .withBean(TestTasks.class);

    private static String prefix() {
        return "boot" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aRedisUrlMakesTheRedisBrokerAndScheduleStoreUnderTheKeyPrefix() {
        String prefix = prefix();
        runner.withPropertyValues("taskq.redis.url=" + redis.url(), "taskq.redis.key-prefix=" + prefix)
                .run(context -> {
                    assertThat(context).hasSingleBean(RedisBroker.class).doesNotHaveBean(MemoryBroker.class)
                            .hasSingleBean(RedisScheduleStore.class);
                    assertThat(context.getBean(RedisBroker.class).keyPrefix()).isEqualTo(prefix);
                    assertThat(context.getBean(RedisScheduleStore.class).keyPrefix()).isEqualTo(prefix);
                    Taskq taskq = context.getBean(Taskq.class);
                    assertThat(taskq.submit(TestTasks::greet, "Redis").get(WAIT)).isEqualTo("Hello, Redis");
                    Await.until(WAIT, "the scheduler leads", () -> context.getBean(Scheduler.class).isLeader());
                    assertThat(context.getBean(RedisScheduleStore.class).entry("test-tick")).isPresent();
                });
    }

    @Test
    void theEventStreamLengthFromProperties() {
        runner.withPropertyValues("taskq.redis.url=" + redis.url(), "taskq.redis.key-prefix=" + prefix(),
                "taskq.redis.event-stream-max-length=0").run(context -> {
                    Taskq taskq = context.getBean(Taskq.class);
                    assertThat(context.getBean(RedisBroker.class).eventLog()).as("no stream kept").isEmpty();
                    assertThatThrownBy(taskq::events).isInstanceOf(UnsupportedOperationException.class);
                });
        runner.withPropertyValues("taskq.redis.url=" + redis.url(), "taskq.redis.key-prefix=" + prefix())
                .run(context -> assertThat(context.getBean(RedisBroker.class).eventLog()).as("by default")
                        .isPresent());
    }

    @Test
    void withAMeterRegistryTheRedisReconnectsAreCounted() {
        runner.withConfiguration(AutoConfigurations.of(TaskqMetricsAutoConfiguration.class))
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withPropertyValues("taskq.redis.url=" + redis.url(), "taskq.redis.key-prefix=" + prefix())
                .run(context -> {
                    assertThat(context).hasSingleBean(RedisConnectionMetrics.class);
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(registry.get(TaskqMeters.REDIS_DISCONNECTS).counter().count()).isZero();
                    assertThat(registry.find(TaskqMeters.REDIS_RECONNECT_ATTEMPTS).counter()).isNotNull();
                });
        // In memory there is nothing to count.
        runner.withConfiguration(AutoConfigurations.of(TaskqMetricsAutoConfiguration.class))
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .run(context -> assertThat(context).doesNotHaveBean(RedisConnectionMetrics.class));
    }

    @Test
    void withoutTheRedisModuleTheUrlIsIgnoredAndTaskqRunsInMemory() {
        runner.withClassLoader(new FilteredClassLoader(RedisBroker.class))
                .withPropertyValues("taskq.redis.url=" + redis.url())
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(MemoryBroker.class));
    }

    @Test
    void credentialsAndTlsFromPropertiesOverrideTheUrlAndNeverAppearInErrors() {
        TaskqProperties.Redis r = new TaskqProperties.Redis();
        r.setUsername("live");
        r.setPassword("s3cret");
        r.setSsl(true);
        RedisURI uri = TaskqRedisAutoConfiguration.uri("redis://other:old@host:6379/0", r);
        assertThat(uri.getUsername()).isEqualTo("live");
        assertThat(new String(uri.getPassword())).isEqualTo("s3cret");
        assertThat(uri.isSsl()).isTrue();
        assertThatThrownBy(() -> TaskqRedisAutoConfiguration.uri("not a uri :pass@", new TaskqProperties.Redis()))
                .hasMessage("taskq.redis: not a Redis URI (expected redis://, rediss:// or"
                        + " redis-sentinel://host:port...)");
        TaskqProperties.Redis userOnly = new TaskqProperties.Redis();
        userOnly.setUsername("live");
        assertThatThrownBy(() -> TaskqRedisAutoConfiguration.uri("redis://host", userOnly))
                .hasMessage("taskq.redis.username is set without taskq.redis.password");
    }

    @Test
    void aUserOnlyInTheUrlAndThePasswordFromAPropertyLogIn() {
        String prefix = prefix();
        redis.with(c -> c.aclSetuser("bootuser-" + prefix, io.lettuce.core.AclSetuserArgs.Builder.on()
                .addPassword("pw-" + prefix).allKeys().allChannels().allCommands()));
        String url = redis.url().replace("redis://", "redis://bootuser-" + prefix + "@");
        runner.withPropertyValues("taskq.redis.url=" + url, "taskq.redis.password=pw-" + prefix,
                "taskq.redis.username=bootuser-" + prefix, "taskq.redis.key-prefix=" + prefix, "taskq.roles=")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(Taskq.class).stats("default").ready()).isZero();
                });
    }

    @Test
    void shutdownDrainsARunningTaskThenHandsBackWhatOutlivesTheGrace() throws Exception {
        String prefix = prefix();
        TestTasks.release = new CountDownLatch(1);
        TestTasks.slowFinished = false;
        ConfigurableApplicationContext app = start(prefix, "taskq.worker.shutdown-grace=20s");
        Taskq taskq = app.getBean(Taskq.class);
        TaskHandle<String> drained = taskq.submit(TestTasks::slow);
        Await.until(WAIT, "the task runs", () -> drained.state() == TaskState.STARTED);
        Thread releaser = new Thread(() -> {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
            TestTasks.release.countDown();
        });
        releaser.start();
        app.close();
        assertThat(TestTasks.slowFinished).as("close waited for the running task").isTrue();
        try (RedisBroker check = RedisBroker.builder().uri(redis.url()).keyPrefix(prefix).build()) {
            assertThat(check.get(drained.queue(), drained.id()).map(TaskRecord::state))
                    .isEqualTo(Optional.of(TaskState.SUCCESS));
        }

        TestTasks.release = new CountDownLatch(1);
        TestTasks.slowFinished = false;
        ConfigurableApplicationContext again = start(prefix, "taskq.worker.shutdown-grace=1s");
        TaskHandle<String> handedBack = again.getBean(Taskq.class).submit(TestTasks::slow);
        Await.until(WAIT, "the task runs", () -> handedBack.state() == TaskState.STARTED);
        again.close();
        assertThat(TestTasks.slowFinished).as("interrupted after the grace").isFalse();
        try (RedisBroker check = RedisBroker.builder().uri(redis.url()).keyPrefix(prefix).build()) {
            assertThat(check.stats("default").ready()).as("handed back to Redis, ready for another instance")
                    .isEqualTo(1);
        }
        TestTasks.release.countDown();
    }

    private static ConfigurableApplicationContext start(String prefix, String... more) {
        String[] props = new String[more.length + 2];
        props[0] = "taskq.redis.url=" + redis.url();
        props[1] = "taskq.redis.key-prefix=" + prefix;
        System.arraycopy(more, 0, props, 2, more.length);
        return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE).properties(props).run();
    }

    /** A Boot application with the test tasks. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(TestTasks.class)
    static class App {
    }
}
