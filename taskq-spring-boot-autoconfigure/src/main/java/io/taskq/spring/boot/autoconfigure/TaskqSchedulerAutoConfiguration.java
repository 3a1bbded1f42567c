package io.taskq.spring.boot.autoconfigure;

import io.taskq.Taskq;
import io.taskq.redis.RedisBackend;
import io.taskq.redis.RedisScheduleStore;
import io.taskq.scheduler.Scheduler;
import io.taskq.scheduler.SchedulerListener;
import io.taskq.scheduler.spi.ScheduleStore;
import io.taskq.spi.Broker;
import io.taskq.spi.Leases;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The scheduler (Celery beat), when {@code taskq-scheduler} is on the classpath and {@code taskq.roles} includes
 * "scheduler": entries from the {@code @Periodic} methods of the task beans, kept in Redis next to the broker's
 * keys when the broker is Redis (in memory otherwise), leadership through the broker's leases: the {@link RedisBackend}'s
 * store and leases when the broker is that backend's.
 */
@AutoConfiguration(after = TaskqAutoConfiguration.class)
@ConditionalOnClass(Scheduler.class)
@ConditionalOnBean(Taskq.class)
@ConditionalOnTaskqRole(TaskqRole.SCHEDULER)
public class TaskqSchedulerAutoConfiguration {

    /**
     * The scheduler, not started: {@link TaskqSchedulerRunner} starts it with the context. Listeners are the
     * application's {@link SchedulerListener} beans.
     */
    @Bean
    @ConditionalOnMissingBean
    Scheduler taskqScheduler(Taskq taskq, ObjectProvider<ScheduleStore> store, TaskBeans tasks,
                             ObjectProvider<SchedulerListener> listeners, TaskqProperties properties,
                             ObjectProvider<BackendLeases> backendLeases) {
        TaskqProperties.Scheduler s = properties.getScheduler();
        Scheduler.Builder b = Scheduler.builder().taskq(taskq)
                .leaseName(s.getLeaseName())
                .leaseTtl(s.getLeaseTtl())
                .misfireGrace(s.getMisfireGrace())
                .allowUnregisteredTasks(s.isAllowUnregisteredTasks())
                .declare(tasks.classes().toArray());
        leases(taskq, backendLeases.getIfAvailable()).ifPresent(b::leases);
        store.ifAvailable(b::store);
        listeners.orderedStream().forEach(b::listener);
        return b.build();
    }

    /** Starts and stops the scheduler with the context. */
    @Bean
    @ConditionalOnMissingBean
    TaskqSchedulerRunner taskqSchedulerRunner(Scheduler scheduler, Taskq taskq, TaskqProperties properties,
                                              ObjectProvider<BackendLeases> backendLeases) {
        return new TaskqSchedulerRunner(scheduler, leases(taskq, backendLeases.getIfAvailable()).orElse(null),
                properties.getScheduler().getLeaseName());
    }

    /**
     * The leases of the broker {@code taskq} really uses (under the transaction-aware wrapper), so that the leader
     * is elected where the tasks go, also when the application built {@code Taskq} itself: the Redis backend's
     * when that is its broker, else (a broker the application supplied) the broker's own, if it has leases.
     */
    static Optional<Leases> leases(Taskq taskq, BackendLeases fromBackend) {
        Broker b = taskq.broker();
        while (b instanceof TransactionAwareBroker t) {
            b = t.delegate();
        }
        if (fromBackend != null && fromBackend.broker() == b) {
            return Optional.of(fromBackend.leases());
        }
        return b.leases();
    }

    /**
     * The leases a Redis backend hands out, with the broker they belong to: a type of its own, so that the scheduler
     * need not name the Redis module's classes (which may be absent).
     *
     * @param broker the backend's broker
     * @param leases the backend's leases
     */
    record BackendLeases(Broker broker, Leases leases) {
    }

    /** The schedule store and leases from the Redis backend: Redis configured once. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({RedisBackend.class, RedisScheduleStore.class})
    static class RedisStoreConfiguration {

        /** Entries shared by every instance of the key prefix; the backend closes the store. */
        @Bean(destroyMethod = "")
        @ConditionalOnMissingBean
        @ConditionalOnBean(RedisBackend.class)
        RedisScheduleStore taskqScheduleStore(RedisBackend backend) {
            return backend.scheduleStore();
        }

        /** The backend's leases, for leader election. */
        @Bean
        @ConditionalOnBean(RedisBackend.class)
        BackendLeases taskqBackendLeases(RedisBackend backend) {
            return new BackendLeases(backend.broker(), backend.leases());
        }
    }
}
