package io.taskq.spring.boot.autoconfigure;

import io.lettuce.core.RedisURI;
import io.taskq.redis.RedisBackend;
import io.taskq.redis.RedisBroker;
import io.taskq.spi.Broker;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Redis, configured once as a {@link RedisBackend} bean, and the broker from it, when {@code taskq-broker-redis} is
 * on the classpath and {@code taskq.redis.url} (or {@code taskq.redis.cluster}) is set. Backs off when the
 * application defines a {@link Broker} bean; an application that defines its own {@link RedisBackend} bean gets
 * the broker from that one. The scheduler's store and leases come from the same backend (see
 * {@link TaskqSchedulerAutoConfiguration}).
 */
@AutoConfiguration
@ConditionalOnClass(RedisBroker.class)
@EnableConfigurationProperties(TaskqProperties.class)
public class TaskqRedisAutoConfiguration {

    /**
     * Connects to Redis (the broker checks the server at start-up and fails the context if it cannot reach it:
     * better than an application that looks up but runs nothing).
     */
    @Bean
    @ConditionalOnMissingBean({Broker.class, RedisBackend.class})
    @Conditional(OnRedisConfigured.class)
    RedisBackend taskqRedisBackend(TaskqProperties properties) {
        TaskqProperties.Redis r = properties.getRedis();
        RedisBackend.Builder b = RedisBackend.builder()
                .keyPrefix(r.getKeyPrefix())
                .commandTimeout(r.getCommandTimeout())
                .connectTimeout(r.getConnectTimeout())
                .resultTtl(r.getResultTtl())
                .eventStreamMaxLength(r.getEventStreamMaxLength());
        if (!r.getCluster().isEmpty()) {
            b.cluster(r.getCluster().stream().map(s -> uri(s, r)).toList());
        } else {
            b.uri(uri(r.getUrl(), r));
        }
        if (r.getTrustStore() != null) {
            b.trustStore(r.getTrustStore(), r.getTrustStorePassword());
        }
        return b.build();
    }

    /** The backend's broker; the backend closes it. */
    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean(Broker.class)
    @ConditionalOnBean(RedisBackend.class)
    RedisBroker taskqBroker(RedisBackend backend) {
        return backend.broker();
    }

    /** The URI with the configured credentials and TLS applied; the password never appears in messages. */
    static RedisURI uri(String url, TaskqProperties.Redis r) {
        RedisURI uri;
        try {
            uri = RedisURI.create(url.trim());
        } catch (IllegalArgumentException e) {
            // Lettuce's message may quote the URL, and with it a password.
            throw new IllegalArgumentException("taskq.redis: not a Redis URI (expected redis://, rediss:// or"
                    + " redis-sentinel://host:port...)");
        }
        if (r.getPassword() != null && !r.getPassword().isEmpty()) {
            if (r.getUsername() != null && !r.getUsername().isBlank()) {
                uri.setUsername(r.getUsername());
            }
            uri.setPassword(r.getPassword().toCharArray());
        } else if (r.getUsername() != null && !r.getUsername().isBlank()) {
            throw new IllegalArgumentException("taskq.redis.username is set without taskq.redis.password");
        }
        if (r.isSsl()) {
            uri.setSsl(true);
        }
        return uri;
    }

    /** Matches when {@code taskq.redis.url} or {@code taskq.redis.cluster} is set, in any property source format. */
    static class OnRedisConfigured extends SpringBootCondition {
        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            boolean configured = Binder.get(context.getEnvironment())
                    .bind("taskq.redis", TaskqProperties.Redis.class)
                    .map(TaskqProperties.Redis::isConfigured).orElse(false);
            return configured ? ConditionOutcome.match("taskq.redis.url or taskq.redis.cluster is set")
                    : ConditionOutcome.noMatch("neither taskq.redis.url nor taskq.redis.cluster is set");
        }
    }
}
