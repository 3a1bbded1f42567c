package io.taskq.examples;

import io.taskq.Taskq;
import io.taskq.redis.RedisBroker;
import io.taskq.redis.RedisScheduleStore;
import io.taskq.scheduler.Scheduler;
import java.util.Optional;

/**
 * Where the examples get their broker: the in-memory default, unless the environment names a Redis
 * ({@code TASKQ_REDIS_URL}, with the environment's key prefix in {@code TASKQ_KEY_PREFIX}, default {@code taskq}).
 * With Redis, the scheduler keeps its entries in Redis too, under the same prefix.
 */
public final class ExampleEnvironment {
    private static volatile RedisBroker redis;
    private static volatile RedisScheduleStore redisStore;

    private ExampleEnvironment() {
    }

    /** A builder with the broker the environment asks for. */
    public static Taskq.Builder taskqBuilder() {
        return taskqBuilder(Optional.ofNullable(System.getenv("TASKQ_REDIS_URL")).filter(s -> !s.isBlank()),
                Optional.ofNullable(System.getenv("TASKQ_KEY_PREFIX")).filter(s -> !s.isBlank()).orElse("taskq"));
    }

    /** A builder on Redis at {@code redisUrl} under {@code keyPrefix}, or in memory when the URL is absent. */
    public static synchronized Taskq.Builder taskqBuilder(Optional<String> redisUrl, String keyPrefix) {
        if (redisUrl.isEmpty()) {
            return Taskq.builder();
        }
        closeBroker();
        redis = RedisBroker.builder().uri(redisUrl.get()).keyPrefix(keyPrefix).build();
        redisStore = RedisScheduleStore.builder().uri(redisUrl.get()).keyPrefix(keyPrefix).build();
        return Taskq.builder().broker(redis);
    }

    /** A scheduler builder for {@code taskq}, with the Redis schedule store when taskq runs on Redis. */
    public static Scheduler.Builder schedulerBuilder(Taskq taskq) {
        Scheduler.Builder b = Scheduler.builder().taskq(taskq);
        RedisScheduleStore store = redisStore;
        if (store != null && taskq.broker() == redis) {
            b.store(store);
        }
        return b;
    }

    /** Closes the Redis connections opened by {@link #taskqBuilder}, if any. */
    public static synchronized void closeBroker() {
        if (redisStore != null) {
            redisStore.close();
            redisStore = null;
        }
        if (redis != null) {
            redis.close();
            redis = null;
        }
    }
}
